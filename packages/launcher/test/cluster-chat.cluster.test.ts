import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WsImClient } from '@fscpush/testkit';
import { TestCluster, type ServiceProcess } from './cluster-harness.ts';
import { pullAll } from './harness.ts';

describe('cluster mode: 2 push-group + 2 push-connector + 1 push-api as separate processes on the real engines', () => {
  const cluster = new TestCluster();
  let groups: ServiceProcess[];
  let connectors: ServiceProcess[];
  let api: ServiceProcess;

  before(async () => {
    await cluster.prepare();
    // groups above 3 members are lazy here, so the lazy-group test below runs on MySQL with small groups
    const lazy = { FSCPUSH_GROUP_LAZY_MEMBERS: '3' };
    groups = [await cluster.start('push-group', lazy), await cluster.start('push-group', lazy)];
    connectors = [await cluster.start('push-connector'), await cluster.start('push-connector')];
    api = await cluster.start('push-api');
  });
  after(() => cluster.stop());

  test('node ids are allocated automatically and differ', () => {
    const nodes = [...groups, ...connectors, api].map((p) => p.node);
    assert.equal(new Set(nodes).size, nodes.length, nodes.join(' '));
    for (const node of nodes) assert.match(node, /^(push-group|push-api|connector)-\d+/);
  });

  test('clients on different connectors chat 1:1 and in a group, logins spread over both push-groups', async () => {
    const alice = await cluster.login(groups[0]!, '13200010001', 'alice-c');
    const bob = await cluster.login(groups[1]!, '13200010002', 'bob-c');
    const carol = await cluster.login(groups[0]!, '13200010003', 'carol-c');
    const a = await cluster.connect(connectors[0]!, 'tcp', alice);
    const b = await cluster.connect(connectors[1]!, 'ws', bob);
    const c = await cluster.connect(connectors[1]!, 'tcp', carol);

    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const ack = await a.sendText({ type: 0, target: bob.userId }, `x${i}`);
      assert.equal(ack.ok, true);
      sent.push(ack.messageId!);
    }
    await b.waitForNotify(10_000);
    const got = await pullAll(b, '0');
    assert.deepEqual(got.messages.map((m) => m.messageId), sent, 'in order, no duplicates');

    const created = await (b as WsImClient).requestJson('GC', { groupInfo: { name: 'cluster', type: 0 }, groupMembers: [{ memberId: alice.userId, type: 0 }, { memberId: carol.userId, type: 0 }] });
    assert.equal(created.ok, true);
    const gid = (created.json as { result: string }).result;
    const groupMsg = await c.sendText({ type: 1, target: gid }, 'hello cluster');
    assert.equal(groupMsg.ok, true);
    for (const member of [a, b]) {
      const all = await pullAll(member, '0');
      assert.ok(all.messages.some((m) => m.messageId === groupMsg.messageId), `${member.transport} member got the group message`);
    }
  });

  test('push-api sends through the registry to a client on any connector', async () => {
    const dave = await cluster.login(groups[1]!, '13200010004', 'dave-c');
    const d = await cluster.connect(connectors[0]!, 'ws', dave);
    const start = await pullAll(d, '0');
    const res = await fetch(`http://127.0.0.1:${api.ports['api']}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer admin-${cluster.id}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversation: { type: 0, target: dave.userId, line: 0 }, content: { type: 1, searchableContent: 'from the api' } }),
    });
    assert.equal(res.status, 200);
    await d.waitForNotify(10_000);
    const { messages } = await pullAll(d, start.cursor);
    assert.deepEqual(messages.map((m) => m.text), ['from the api']);
  });

  test('every push-group sees a membership change at once (grid-versioned member cache)', async () => {
    const owner = await cluster.login(groups[0]!, '13200010010', 'owner-c');
    const member = await cluster.login(groups[1]!, '13200010011', 'member-c');
    const o = (await cluster.connect(connectors[0]!, 'ws', owner)) as WsImClient;
    const m = await cluster.connect(connectors[1]!, 'tcp', member);
    for (let round = 0; round < 6; round++) {
      const created = await o.requestJson('GC', { groupInfo: { name: `g${round}`, type: 0 }, groupMembers: [{ memberId: member.userId, type: 0 }] });
      const gid = (created.json as { result: string }).result;
      // warm both push-groups' caches with the member list
      for (let i = 0; i < 4; i++) assert.equal((await m.sendText({ type: 1, target: gid }, `in ${i}`)).ok, true);
      const kicked = await o.requestJson('GKM', { groupId: gid, memberIds: [member.userId] });
      assert.equal(kicked.ok, true);
      for (let i = 0; i < 4; i++) {
        const after = await m.sendText({ type: 1, target: gid }, `out ${i}`);
        assert.equal(after.errorCode, 9, 'a kicked member is refused by every push-group');
      }
    }
  });

  test('a lazy group over two push-groups: members coming and going while two senders post miss nothing, in order', async () => {
    const senders = [await cluster.login(groups[0]!, '13200010020', 'lz-s0'), await cluster.login(groups[1]!, '13200010021', 'lz-s1')];
    const members: { userId: string; token: string; clientId: string }[] = [];
    for (let i = 0; i < 4; i++) members.push(await cluster.login(groups[i % 2]!, `1320001003${i}`, `lz-m${i}`));
    const s0 = (await cluster.connect(connectors[0]!, 'ws', senders[0]!)) as WsImClient;
    const s1 = await cluster.connect(connectors[1]!, 'tcp', senders[1]!);
    const created = await s0.requestJson('GC', {
      groupInfo: { name: 'lazy', type: 0 },
      groupMembers: [senders[1]!, ...members].map((m) => ({ memberId: m.userId, type: 0 })),
    });
    assert.equal(created.ok, true);
    const gid = (created.json as { result: string }).result;

    const perSender = 150;
    const send = async (client: typeof s1, tag: string) => {
      for (let i = 0; i < perSender; i++) assert.equal((await client.sendText({ type: 1, target: gid }, `${tag}${i}`)).ok, true);
    };
    // each member connects at a different moment, on alternating connectors; one drops out and comes back
    const follow = async (n: number): Promise<string[]> => {
      await new Promise((resolve) => setTimeout(resolve, 30 + n * 60));
      const transport = n % 2 === 0 ? 'tcp' : 'ws';
      let device = await cluster.connect(connectors[n % 2]!, transport, members[n]!);
      let { messages, cursor } = await pullAll(device, '0');
      const seen = messages.map((m) => m.text).filter((x) => /^[ab]\d/.test(x));
      let reconnected = n !== 3;
      while (seen.length < 2 * perSender) {
        if (!reconnected && seen.length > 40) {
          reconnected = true;
          await device.close();
          await new Promise((resolve) => setTimeout(resolve, 150));
          device = await cluster.connect(connectors[(n + 1) % 2]!, transport, members[n]!);
        } else {
          await device.waitForNotify(10_000);
        }
        const page = await pullAll(device, cursor);
        cursor = page.cursor;
        seen.push(...page.messages.map((m) => m.text));
      }
      return seen;
    };
    const followers = members.map((_, n) => follow(n));
    await Promise.all([send(s0, 'a'), send(s1, 'b')]);
    for (const seen of await Promise.all(followers)) {
      assert.equal(seen.length, 2 * perSender, 'no duplicates');
      for (const tag of ['a', 'b']) {
        assert.deepEqual(seen.filter((x) => x.startsWith(tag)), Array.from({ length: perSender }, (_, i) => `${tag}${i}`), `every ${tag} message once, in order`);
      }
    }
  });
});
