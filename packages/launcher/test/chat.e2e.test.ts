import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, pullAll, type LoggedIn } from './harness.ts';

const PRIVATE = 0;
const GROUP = 1;

// Both shapes of the all-in-one server: push-connector on its own thread (the default on more than one
// core) and everything on one thread.
for (const thread of ['true', 'false'] as const) describe(`1:1 and group chat across TCP and WebSocket devices (embedded.connector.thread=${thread})`, () => {
  let t: TestServer;
  let alicePhone: LoggedIn;
  let aliceWeb: LoggedIn;
  let bobWeb: LoggedIn;

  before(async () => {
    t = await TestServer.start({ overrides: { 'embedded.connector.thread': thread } });
    alicePhone = await t.login('13800001001', 'alice-phone');
    aliceWeb = await t.login('13800001001', 'alice-web');
    bobWeb = await t.login('13800001002', 'bob-web');
    assert.equal(alicePhone.userId, aliceWeb.userId, 'one mobile is one user');
  });
  after(() => t.stop());

  test('a private message is acked, notified to the receiver and the sender\'s other device, and pulled in order', async () => {
    const phone = await t.connect('tcp', alicePhone);
    const web = await t.connect('ws', aliceWeb);
    const bob = await t.connect('ws', bobWeb);

    const sent = await phone.sendText({ type: PRIVATE, target: bobWeb.userId }, 'hello bob');
    assert.equal(sent.ok, true);
    assert.match(sent.messageId!, /^\d+$/);
    assert.ok(Math.abs(sent.timestamp! - Date.now()) < 60_000);

    const bobNotify = await bob.waitForNotify();
    const webNotify = await web.waitForNotify();
    const bobPull = await bob.pull(bobNotify.head, 1);
    assert.deepEqual(bobPull.messages.map((m) => [m.messageId, m.from, m.target, m.content.searchableContent, m.conversationType]), [
      [sent.messageId, alicePhone.userId, alicePhone.userId, 'hello bob', PRIVATE],
    ]);
    const webPull = await web.pull(webNotify.head, 1);
    assert.deepEqual(webPull.messages.map((m) => [m.messageId, m.target]), [[sent.messageId, bobWeb.userId]]);
    await assert.rejects(phone.waitForNotify(300), /no matching/, 'the sending device gets no MN for its own message');

    const reply = await bob.sendText({ type: PRIVATE, target: alicePhone.userId }, 'hi alice');
    assert.equal(reply.ok, true);
    const phoneNotify = await phone.waitForNotify();
    const phonePull = await phone.pull(BigInt(phoneNotify.head) - 1n, 0);
    assert.deepEqual(phonePull.messages.map((m) => m.content.searchableContent), ['hi alice']);
    const phoneFromStart = await phone.pull('0', 0);
    assert.deepEqual(phoneFromStart.messages.map((m) => m.content.searchableContent), ['hi alice'], 'its own send is skipped, the cursor passes it');
    assert.equal(phoneFromStart.current, phoneNotify.head);
    assert.ok(BigInt(reply.messageId!) > BigInt(sent.messageId!), 'ids increase');
  });

  test('group create notifies members and group messages reach every member device except the sender', async () => {
    const carol = await t.login('13800001003', 'carol-phone');
    const phone = await t.connect('tcp', alicePhone);
    const bob = await t.connect('ws', bobWeb);
    const carolConn = await t.connect('tcp', carol);

    const created = await (bob as import('@fscpush/testkit').WsImClient).requestJson('GC', {
      groupInfo: { target: '', name: 'weekend', portrait: '', owner: '', type: 0, memberCount: 0, extra: '', updateDt: 0 },
      groupMembers: [
        { groupId: '', memberId: bobWeb.userId, alias: '', type: 2, updateDt: 0 },
        { groupId: '', memberId: alicePhone.userId, alias: '', type: 0, updateDt: 0 },
        { groupId: '', memberId: carol.userId, alias: '', type: 0, updateDt: 0 },
      ],
    });
    assert.equal(created.ok, true);
    const gid = (created.json as { result: string }).result;
    assert.match(gid, /^[A-Za-z0-9_-]+$/);

    const n1 = await carolConn.waitForNotify();
    const createNotice = (await carolConn.pull(BigInt(n1.head) - 1n, 0)).messages;
    assert.equal(createNotice.length, 1);
    assert.equal(createNotice[0]!.content.type, 104);
    assert.deepEqual(JSON.parse(Buffer.from(createNotice[0]!.content.binaryContent, 'base64').toString()), { g: gid, n: 'weekend', o: bobWeb.userId });
    const phoneNotify = await phone.waitForNotify();
    assert.deepEqual((await phone.pull(BigInt(phoneNotify.head) - 1n, 0)).messages.map((m) => m.content.type), [104]);
    const creatorNotify = await bob.waitForNotify();
    const creatorPull = await bob.pull(creatorNotify.head, 1);
    assert.deepEqual(creatorPull.messages.map((m) => [m.content.type, m.target]), [[104, gid]], 'the creating device is told of the notice too: the web client keeps no copy of server-made messages');

    const sent = await carolConn.sendText({ type: GROUP, target: gid }, 'who is in?');
    assert.equal(sent.ok, true);
    for (const member of [phone, bob]) {
      const notify = await member.waitForNotify();
      const pulled = await member.pull(BigInt(notify.head) - 1n, 0);
      assert.deepEqual(pulled.messages.map((m) => [m.messageId, m.target, m.conversationType]), [[sent.messageId, gid, GROUP]]);
    }
    await assert.rejects(carolConn.waitForNotify(300), /no matching/);

    const memberMessage = await phone.sendText({ type: GROUP, target: gid }, 'regrettable');
    await carolConn.waitForNotify();
    const ownerNotify = await bob.waitForNotify();
    const ownerRecall = await (bob as import('@fscpush/testkit').WsImClient).requestJson('MR', { messageUid: memberMessage.messageId });
    assert.equal(ownerRecall.ok, true, 'the group owner may recall a member\'s message');
    const ownerPull = await bob.pull(BigInt(ownerNotify.head) - 1n, 0);
    assert.deepEqual(ownerPull.messages.map((m) => [m.messageId, m.content.type]), [[memberMessage.messageId, 80]], 'the recalling device (no RMN for it) pulls the recall too');
    assert.equal((await carolConn.waitForRecall()).messageId, memberMessage.messageId);
    const carolRecall = await (carolConn as import('@fscpush/testkit').TcpImClient).request('MR', (await import('@fscpush/protocol')).Proto.INT64Buf.encode({ id: sent.messageId! }));
    assert.equal(carolRecall.errorCode, 0, 'a member may recall its own group message');
    const foreignRecall = await (carolConn as import('@fscpush/testkit').TcpImClient).request('MR', (await import('@fscpush/protocol')).Proto.INT64Buf.encode({ id: memberMessage.messageId! }));
    assert.equal(foreignRecall.errorCode, 248, 'a plain member may not recall someone else\'s message');

    const dave = await t.login('13800001004', 'dave-web');
    const outsider = await t.connect('ws', dave);
    const refused = await outsider.sendText({ type: GROUP, target: gid }, 'let me in');
    assert.equal(refused.ok, false, 'a non-member cannot send to the group');
    const tcpOutsider = await t.connect('tcp', { ...dave, ...(await t.login('13800001004', 'dave-tcp')) });
    const tcpRefused = await tcpOutsider.sendText({ type: GROUP, target: gid }, 'let me in');
    assert.equal(tcpRefused.errorCode, 9, 'NOT_IN_GROUP');
    const unknownGroup = await tcpOutsider.sendText({ type: GROUP, target: 'nosuchgroup' }, 'hello?');
    assert.equal(unknownGroup.errorCode, 253, 'NOT_EXIST');
    const unknownUser = await tcpOutsider.sendText({ type: PRIVATE, target: 'nosuchuser' }, 'hello?');
    assert.equal(unknownUser.errorCode, 253);
  });

  test('recall: the sender may, others may not; online devices get RMN and history shows the recall', async () => {
    const phone = await t.connect('tcp', alicePhone);
    const bob = await t.connect('ws', bobWeb);
    const sent = await phone.sendText({ type: PRIVATE, target: bobWeb.userId }, 'oops');
    const notify = await bob.waitForNotify();

    const byBob = await (bob as import('@fscpush/testkit').WsImClient).requestJson('MR', { messageUid: sent.messageId });
    assert.equal(byBob.ok, false, 'the receiver cannot recall the sender\'s message');

    const tcp = phone as import('@fscpush/testkit').TcpImClient;
    const { Proto } = await import('@fscpush/protocol');
    const ack = await tcp.request('MR', Proto.INT64Buf.encode({ id: sent.messageId! }));
    assert.equal(ack.errorCode, 0);
    const rmn = await bob.waitForRecall();
    assert.deepEqual(rmn, { messageId: sent.messageId, fromUser: alicePhone.userId });
    const pulled = await bob.pull(notify.head, 1);
    assert.deepEqual(pulled.messages.map((m) => [m.messageId, m.content.type]), [[sent.messageId, 80]], 'a pull after the recall gets the recall, not the content the notify carried');

    const history = await (bob as import('@fscpush/testkit').WsImClient).requestJson('LRM', {
      beforeUid: 0,
      count: 20,
      conversation: { type: PRIVATE, conversationType: PRIVATE, target: alicePhone.userId, line: 0 },
    });
    const items = (history.json as { messageResponseList: { messageId: string; content: { type: number } }[] }).messageResponseList;
    assert.equal(items[0]!.messageId, sent.messageId, 'history is newest first');
    assert.equal(items[0]!.content.type, 80);
    const missing = await tcp.request('MR', Proto.INT64Buf.encode({ id: '12345' }));
    assert.equal(missing.errorCode, 253);
  });

  test('typing is pushed to online devices only and never stored', async () => {
    const phone = await t.connect('tcp', alicePhone);
    const bob = await t.connect('ws', bobWeb);
    const before = await pullAll(bob, '0');
    const ws = bob as import('@fscpush/testkit').WsImClient;
    const typing = await (phone as import('@fscpush/testkit').TcpImClient).request(
      'MS',
      (await import('@fscpush/protocol')).Proto.Message.encode({
        conversation: { type: PRIVATE, target: bobWeb.userId, line: 0 },
        fromUser: alicePhone.userId,
        content: { type: 91, mentionedTarget: [] },
        to: [],
      }),
    );
    assert.equal(typing.errorCode, 0);
    const push = await ws.waitForPush((p) => p.signalName === 'PUB_ACK' && p.subSignalName === 'MP' && p.messageId === 0);
    const pushed = JSON.parse(push.content) as { messageResponseList: { content: { type: number }; from: string }[] };
    assert.deepEqual(pushed.messageResponseList.map((m) => [m.content.type, m.from]), [[91, alicePhone.userId]]);
    const afterPull = await pullAll(bob, before.cursor);
    assert.deepEqual(afterPull.messages, [], 'nothing new in the inbox');
  });

  test('bad MS payloads are refused with INVALID_DATA and change nothing', async () => {
    const phone = await t.connect('tcp', alicePhone) as import('@fscpush/testkit').TcpImClient;
    const garbage = await phone.request('MS', Buffer.from([0xff, 0xff, 0xff]));
    assert.equal(garbage.errorCode, 2);
    const web = await t.connect('ws', aliceWeb) as import('@fscpush/testkit').WsImClient;
    const bad = await web.request('MS', { conversationType: 'x', target: 5 });
    assert.equal(bad.content, '');
    const sqlish = await web.sendText({ type: PRIVATE, target: "x' OR '1'='1" }, 'hi');
    assert.equal(sqlish.ok, false);
    for (const type of [80, 90, 104, 106, 117]) {
      const forged = await phone.request('MS', (await import('@fscpush/protocol')).Proto.Message.encode({
        conversation: { type: PRIVATE, target: aliceWeb.userId, line: 0 },
        fromUser: alicePhone.userId,
        content: { type, content: 'forged', mentionedTarget: [] },
        to: [],
      }));
      assert.equal(forged.errorCode, 2, `content type ${type} is the server's own`);
    }
    const unknownSub = await phone.request(120 as never, Buffer.alloc(0));
    assert.equal(unknownSub.errorCode, 254, 'unknown sub-signal: NOT_IMPLEMENTED');
  });
});
