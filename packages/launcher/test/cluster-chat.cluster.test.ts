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
    groups = [await cluster.start('push-group'), await cluster.start('push-group')];
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
});
