import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TcpImClient, WsImClient } from '@fscpush/testkit';
import { TestServer, pullAll, type LoggedIn } from './harness.ts';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const parse = (body: Buffer) => JSON.parse(body.toString('utf8'));

describe('receipts, unread counts and message search (fscpush extensions MRN/MRP/CUC/MSR)', () => {
  let t: TestServer;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let carol: LoggedIn;

  before(async () => {
    t = await TestServer.start();
    alice = await t.login('13300009001', 'alice-rs');
    bob = await t.login('13300009002', 'bob-rs');
    carol = await t.login('13300009003', 'carol-rs');
  });
  after(() => t.stop());

  test('1:1: a pull makes the sender see "delivered", MRN makes it see "read"; counts agree', async () => {
    const a = (await t.connect('tcp', alice)) as TcpImClient;
    const b = (await t.connect('ws', bob)) as WsImClient;
    const start = await pullAll(b, '0');
    const sent = await a.sendText({ type: 0, target: bob.userId }, 'did you get it?');
    await b.waitForNotify();
    await pullAll(b, start.cursor);

    const delivered = await a.waitForPush((p) => p.subSignalName === 'MRP');
    assert.deepEqual(parse(delivered.body), { type: 0, conversationType: 0, target: bob.userId, line: 0, messageUid: sent.messageId });

    const read = await b.requestJson('MRN', { type: 1, conversation: { type: 0, target: alice.userId, line: 0 }, messageUid: sent.messageId });
    assert.deepEqual(read.json, { code: 200, message: 'success' });
    const readPush = await a.waitForPush((p) => p.subSignalName === 'MRP');
    assert.equal(parse(readPush.body).type, 1);

    const counts = await a.request('MRN', json({ type: 2, conversation: { type: 0, target: bob.userId }, messageUids: [sent.messageId] }));
    assert.equal(counts.errorCode, 0);
    assert.deepEqual(parse(counts.body), [{ messageUid: sent.messageId, delivered: 1, read: 1 }]);

    const foreign = await b.requestJson('MRN', { type: 1, conversation: { type: 0, target: carol.userId }, messageUid: sent.messageId });
    assert.equal(foreign.ok, false, 'a message outside the conversation cannot be marked read');
    const garbage = await a.request('MRN', Buffer.from('not json'));
    assert.equal(garbage.errorCode, 2);
  });

  test('groups: receipts are counted, never pushed per reader; non-members cannot query', async () => {
    const owner = (await t.connect('ws', alice)) as WsImClient;
    const readers: LoggedIn[] = [];
    for (let i = 0; i < 12; i++) readers.push(await t.login(`133000091${String(i).padStart(2, '0')}`, `grp-reader-${i}`));
    const created = await owner.requestJson('GC', {
      groupInfo: { name: 'readers', type: 0 },
      groupMembers: readers.map((r) => ({ memberId: r.userId, type: 0 })),
    });
    const gid = (created.json as { result: string }).result;
    const sent = await owner.sendText({ type: 1, target: gid }, 'please read');

    for (const [i, reader] of readers.entries()) {
      if (i >= 8) break;
      const client = await t.connect(i % 2 === 0 ? 'tcp' : 'ws', reader);
      await pullAll(client, '0');
      if (i < 5) {
        const body = { type: 1, conversation: { type: 1, target: gid }, messageUid: sent.messageId };
        if (client.transport === 'tcp') assert.equal((await (client as TcpImClient).request('MRN', json(body))).errorCode, 0);
        else assert.equal((await (client as WsImClient).requestJson('MRN', body)).ok, true);
      }
    }
    const counts = await owner.requestJson('MRN', { type: 2, conversation: { type: 1, target: gid }, messageUids: [sent.messageId] });
    assert.deepEqual(counts.json, [{ messageUid: sent.messageId, delivered: 8, read: 5 }]);
    await assert.rejects(owner.waitForPush((p) => p.subSignalName === 'MRP', 300), /no matching/, 'no per-reader pushes for groups');

    const outsider = (await t.connect('ws', carol)) as WsImClient;
    const refused = await outsider.requestJson('MRN', { type: 2, conversation: { type: 1, target: gid }, messageUids: [sent.messageId] });
    assert.equal(refused.ok, false);
  });

  test('unread counts per conversation drop to zero once read', async () => {
    const dave = await t.login('13300009020', 'dave-rs');
    const erin = await t.login('13300009021', 'erin-rs');
    const d = await t.connect('tcp', dave);
    const e = (await t.connect('ws', erin)) as WsImClient;
    let last = '';
    for (let i = 0; i < 3; i++) last = (await d.sendText({ type: 0, target: erin.userId }, `u${i}`)).messageId!;
    const before = await e.requestJson('CUC', {});
    const entry = (before.json as { target: string; unread: number; lastMessageUid: string }[]).find((c) => c.target === dave.userId);
    assert.deepEqual([entry?.unread, entry?.lastMessageUid], [3, last]);
    await e.requestJson('MRN', { type: 1, conversation: { type: 0, target: dave.userId }, messageUid: last });
    const afterRead = await e.requestJson('CUC', {});
    assert.equal((afterRead.json as { target: string; unread: number }[]).find((c) => c.target === dave.userId)?.unread, 0);
    const mine = await (d as TcpImClient).request('CUC', Buffer.alloc(0));
    const own = (parse(mine.body) as { target: string; unread: number }[]).find((c) => c.target === erin.userId);
    assert.equal(own?.unread, 0, 'own messages are never unread');
  });

  test('search finds only messages in the user\'s own inbox, literally, paged, newest first', async () => {
    const frank = await t.login('13300009030', 'frank-rs');
    const gina = await t.login('13300009031', 'gina-rs');
    const f = await t.connect('ws', frank);
    const g = (await t.connect('tcp', gina)) as TcpImClient;
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await f.sendText({ type: 0, target: gina.userId }, `pineapple ${i}`)).messageId!);
    await f.sendText({ type: 0, target: gina.userId }, '100% sure_thing');

    const page0 = await (f as WsImClient).requestJson('MSR', { keyword: 'pineapple', page: 0 });
    const list0 = (page0.json as { messageResponseList: { messageId: string }[] }).messageResponseList;
    assert.deepEqual(list0.map((m) => m.messageId), ids.slice(5).reverse());
    const page1 = await (f as WsImClient).requestJson('MSR', { keyword: 'pineapple', page: 1, conversation: { type: 0, target: gina.userId } });
    assert.deepEqual((page1.json as { messageResponseList: { messageId: string }[] }).messageResponseList.map((m) => m.messageId), ids.slice(0, 5).reverse());

    const upper = await (f as WsImClient).requestJson('MSR', { keyword: 'PINEAPPLE 2', page: 0 });
    assert.deepEqual((upper.json as { messageResponseList: { messageId: string }[] }).messageResponseList.map((m) => m.messageId), [ids[24], ids[23], ids[22], ids[21], ids[20], ids[2]], 'case is ignored (the same on SQLite and MySQL)');

    const tcpResult = await g.request('MSR', json({ keyword: '100%' }));
    const { Proto } = await import('@fscpush/protocol');
    assert.deepEqual(Proto.PullMessageResult.decode(tcpResult.body).message.map((m) => m.content.searchableContent), ['100% sure_thing']);
    const wildcard = await g.request('MSR', json({ keyword: '%' }));
    assert.equal(Proto.PullMessageResult.decode(wildcard.body).message.length, 1, '% is matched literally');
    const underscore = await g.request('MSR', json({ keyword: 'e_t' }));
    assert.equal(Proto.PullMessageResult.decode(underscore.body).message.length, 1, '_ is matched literally');

    const outsider = (await t.connect('ws', { ...carol, ...(await t.login('13300009003', 'carol-rs-2')) })) as WsImClient;
    const none = await outsider.requestJson('MSR', { keyword: 'pineapple' });
    assert.deepEqual((none.json as { count: number }).count, 0, 'other people\'s conversations are not searchable');
    assert.equal((await outsider.requestJson('MSR', { keyword: '' })).ok, false);
    assert.equal((await g.request('MSR', json({ keyword: 'x', page: 9999 }))).errorCode, 2);
  });
});
