import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Proto, Signal, SubSignal, decodeInt64BE, deriveConnectPassword, type ConnectAckPayload } from '@fscpush/protocol';
import type { ChatClient, TcpImClient, WsImClient } from '@fscpush/testkit';
import { TestServer, pullAll, type LoggedIn } from './harness.ts';

const PRIVATE = 0;
const SUCCESS = { code: 200, message: 'success' };

describe('friends over TCP and WebSocket: requests, friendship, aliases, deletion, blacklist', () => {
  let t: TestServer;
  let nextMobile = 13900002000;

  before(async () => {
    t = await TestServer.start();
  });
  after(() => t.stop());

  const login = async (device: string) => {
    const mobile = String(++nextMobile);
    return { ...(await t.login(mobile, device)), mobile };
  };
  const tcp = async (who: LoggedIn) => (await t.connect('tcp', who)) as TcpImClient;
  const ws = async (who: LoggedIn) => (await t.connect('ws', who)) as WsImClient;
  const addFriend = (targetUid: string, reason = '') => Proto.AddFriendRequest.encode({ targetUid, reason });
  const handleRequest = (targetUid: string, status: number) => Proto.HandleFriendRequest.encode({ targetUid, status });
  const version = (v: number | string) => Proto.Version.encode({ version: v });

  /** The version an FRN push carries: an 8-byte long over TCP, {"version":"v"} over WebSocket. */
  async function waitFrn(client: ChatClient): Promise<string> {
    return waitVersionPush(client, SubSignal.FRN, 'version');
  }

  /** The head an FN push carries: an 8-byte long over TCP, {"head":"v"} over WebSocket. */
  async function waitFn(client: ChatClient): Promise<string> {
    return waitVersionPush(client, SubSignal.FN, 'head');
  }

  async function waitVersionPush(client: ChatClient, sub: number, field: string): Promise<string> {
    const matches = (p: { signal: number; subSignal: number }) => p.signal === Signal.PUBLISH && p.subSignal === sub;
    if (client.transport === 'tcp') return decodeInt64BE((await (client as TcpImClient).waitForPush(matches)).body);
    const json = JSON.parse((await (client as WsImClient).waitForPush(matches)).content) as Record<string, unknown>;
    assert.equal(typeof json[field], 'string', `${field} is a string`);
    return json[field] as string;
  }

  async function noPush(client: ChatClient, sub: number): Promise<void> {
    const matches = (p: { signal: number; subSignal: number }) => p.signal === Signal.PUBLISH && p.subSignal === sub;
    const waiting = client.transport === 'tcp' ? (client as TcpImClient).waitForPush(matches, 300) : (client as WsImClient).waitForPush(matches, 300);
    await assert.rejects(waiting, /no matching/);
  }

  async function tcpFriends(client: TcpImClient) {
    const ack = await client.request('FP', version(0));
    assert.equal(ack.errorCode, 0);
    return Proto.GetFriendsResult.decode(ack.body).entry;
  }

  async function wsFriends(client: WsImClient) {
    const reply = await client.requestJson('FP', { version: 0 });
    assert.equal(reply.ok, true);
    assert.ok(Array.isArray(reply.json), 'FP always answers an array');
    return reply.json as { friendUid: string; alias: string; state: number; timestamp: number }[];
  }

  /** a (TCP) asks, b (WebSocket) accepts: returns the FN head both got. */
  async function befriend(a: TcpImClient, b: WsImClient, bUid: string, aUid: string): Promise<string> {
    assert.equal((await a.request('FAR', addFriend(bUid, 'hi'))).errorCode, 0);
    await waitFrn(b);
    assert.deepEqual((await b.requestJson('FHR', { targetUid: aUid, status: 1 })).json, SUCCESS);
    const head = await waitFn(a);
    assert.equal(await waitFn(b), head);
    return head;
  }

  test('request, FRN, FRP on both sides, FRUS, accept with FN to both users and a greeting in the conversation', async () => {
    const alice = await login('alice-phone');
    const bobWeb = await login('bob-web');
    const bobPhone = await t.login(bobWeb.mobile, 'bob-phone');
    const a = await tcp(alice);
    const b = await ws(bobWeb);
    const bp = await tcp(bobPhone);
    const aStart = await pullAll(a, '0');
    const bStart = await pullAll(b, '0');

    const far = await a.request('FAR', addFriend(bobWeb.userId, '我是alice'));
    assert.deepEqual([far.errorCode, far.body.byteLength], [0, 0]);
    const frnVersion = await waitFrn(b);
    assert.equal(await waitFrn(bp), frnVersion, 'every device of the target gets FRN with the same version');
    assert.match(frnVersion, /^\d+$/);
    await noPush(a, SubSignal.FRN);

    const expected = { direction: 1, from: alice.userId, target: bobWeb.userId, reason: '我是alice', status: 0, readStatus: 0, timestamp: Number(frnVersion) };
    for (const v of [frnVersion, null, 0, '0', 'undefined']) {
      const frp = await b.requestJson('FRP', { version: v });
      assert.deepEqual(frp.json, [expected], `FRP with version ${JSON.stringify(v)}`);
    }
    const later = await b.requestJson('FRP', { version: String(Number(frnVersion) + 1) });
    assert.deepEqual(later.json, [], 'nothing changed after the request');

    const sent = Proto.GetFriendRequestResult.decode((await a.request('FRP', version(0))).body).entry;
    assert.deepEqual(sent, [{ fromUid: alice.userId, toUid: bobWeb.userId, reason: '我是alice', status: 0, updateDt: frnVersion, fromReadStatus: true }]);
    const received = Proto.GetFriendRequestResult.decode((await bp.request('FRP', version(0))).body).entry;
    assert.deepEqual(received.map((r) => [r.fromUid, r.status, r.toReadStatus]), [[alice.userId, 0, false]]);

    const unread = await bp.request('FRUS', version(0));
    assert.deepEqual([unread.errorCode, decodeInt64BE(unread.body)], [0, '1'], 'FRUS with version 0 only counts');
    assert.deepEqual((await b.requestJson('FRUS', { version: frnVersion })).json, { ...SUCCESS, result: 0 }, 'requests up to the version are now read');
    assert.equal(decodeInt64BE((await bp.request('FRUS', version(0))).body), '0');
    assert.deepEqual(((await b.requestJson('FRP', { version: 0 })).json as { readStatus: number }[])[0]!.readStatus, 1);

    assert.deepEqual((await b.requestJson('FHR', { targetUid: alice.userId, status: 1 })).json, SUCCESS);
    const head = await waitFn(a);
    assert.equal(await waitFn(b), head, 'FN to the accepting device too');
    assert.equal(await waitFn(bp), head);
    assert.ok(BigInt(head) > BigInt(frnVersion));

    assert.deepEqual(await tcpFriends(a), [{ uid: bobWeb.userId, state: 0, updateDt: head, alias: '' }]);
    assert.deepEqual(await wsFriends(b), [{ friendUid: alice.userId, alias: '', state: 0, timestamp: Number(head) }]);
    assert.deepEqual(await tcpFriends(bp), [{ uid: alice.userId, state: 0, updateDt: head, alias: '' }]);
    assert.deepEqual(Proto.GetFriendsResult.decode((await a.request('FP', version(head))).body).entry, [], 'nothing after the head');

    const accepted = Proto.GetFriendRequestResult.decode((await a.request('FRP', version(frnVersion))).body).entry;
    assert.deepEqual(accepted.map((r) => [r.toUid, r.status, r.updateDt]), [[bobWeb.userId, 1, head]], 'the requester sees the acceptance');

    for (const [client, start] of [[a, aStart.cursor], [b, bStart.cursor]] as const) {
      await client.waitForNotify();
      const { messages } = await client.pull(start, 0);
      assert.deepEqual(messages.map((m) => [m.from, m.target, m.content.type, m.content.type === 90 ? m.content.content : m.content.searchableContent]), [
        [alice.userId, client === a ? bobWeb.userId : alice.userId, 1, '我是alice'],
        [bobWeb.userId, client === a ? bobWeb.userId : alice.userId, 90, '你们已经是好友了，可以开始聊天了'],
      ], `${client.transport} device sees the greeting in the private conversation`);
    }

    assert.equal((await a.request('FAR', addFriend(bobWeb.userId, 'again'))).errorCode, 2, 'already friends');
    assert.equal((await b.request('FAR', { reason: '', targetUserId: alice.userId })).content, '');
    assert.equal((await a.sendText({ type: PRIVATE, target: bobWeb.userId }, 'friends now')).errorCode, 0);
  });

  test('CONNECT_ACK carries the friend list and friend request heads', async () => {
    const carol = await login('carol-phone');
    const dave = await login('dave-web');
    const c = await tcp(carol);
    const d = await ws(dave);
    const head = await befriend(c, d, dave.userId, carol.userId);
    const device = t.newClient('tcp');
    const again = await t.login(carol.mobile, 'carol-tablet');
    const result = await device.connect({ host: '127.0.0.1', port: t.server.ports.tcp, userName: again.userId, password: deriveConnectPassword(again.token), clientId: again.clientId });
    const ack = result.ack as ConnectAckPayload;
    assert.equal(ack.friendHead, head);
    assert.equal(ack.friendRqHead, head, 'the accepted request is the newest request change');
  });

  test('refusals: self, unknown users, bad bodies, missing or handled requests change nothing', async () => {
    const erin = await login('erin-phone');
    const frank = await login('frank-web');
    const e = await tcp(erin);
    const f = await ws(frank);

    assert.equal((await e.request('FAR', addFriend(erin.userId))).errorCode, 2, 'to self');
    assert.equal((await e.request('FAR', addFriend('nobody-here'))).errorCode, 253, 'to an unknown user');
    assert.equal((await e.request('FAR', addFriend("x' OR '1'='1"))).errorCode, 2);
    assert.equal((await e.request('FAR', Buffer.from([0xff, 0x01]))).errorCode, 2, 'undecodable body');
    assert.equal((await e.request('FAR', addFriend(frank.userId, 'x'.repeat(600)))).errorCode, 2, 'reason too long');
    assert.equal((await f.request('FAR', { reason: 'me', targetUserId: frank.userId })).content, '');
    assert.equal((await f.request('FAR', { reason: 'me', targetUserId: 'nobody-here' })).content, '');
    assert.equal((await f.request('FAR', { reason: 'me' })).content, '');
    assert.deepEqual((await f.requestJson('FRP', { version: 0 })).json, [], 'nothing was stored');
    await noPush(f, SubSignal.FRN);

    assert.equal((await e.request('FHR', handleRequest(frank.userId, 1))).errorCode, 253, 'no request from that user');
    assert.equal((await f.request('FHR', { targetUid: erin.userId, status: 1 })).content, '');
    assert.equal((await e.request('FHR', handleRequest('nobody-here', 2))).errorCode, 253);

    assert.equal((await e.request('FAR', addFriend(frank.userId, 'hello'))).errorCode, 0);
    await waitFrn(f);
    assert.equal((await f.request('FHR', { targetUid: erin.userId, status: 7 })).content, '', 'status must be 0, 1 or 2');
    assert.equal((await f.request('FHR', { targetUid: erin.userId })).content, '');
    assert.equal((await e.request('FHR', handleRequest(frank.userId, 1))).errorCode, 253, 'the requester cannot accept its own request');
    assert.deepEqual(await wsFriends(f), [], 'no friendship from refused handling');
    assert.deepEqual(((await f.requestJson('FRP', { version: 0 })).json as { status: number }[]).map((r) => r.status), [0]);

    assert.deepEqual((await f.requestJson('FHR', { targetUid: erin.userId, status: 1 })).json, SUCCESS);
    assert.equal((await f.request('FHR', { targetUid: erin.userId, status: 2 })).content, '', 'already handled');
    assert.equal((await e.request('FAR', addFriend(frank.userId))).errorCode, 2, 'already friends');

    for (const sub of ['FRP', 'FP', 'FRUS'] as const) {
      assert.equal((await e.request(sub, Buffer.from([0x08]))).errorCode, 2, `${sub} with a truncated Version`);
    }
  });

  test('a rejected request is visible to the requester with status 2, and may be sent again', async () => {
    const gina = await login('gina-web');
    const hank = await login('hank-phone');
    const g = await ws(gina);
    const h = await tcp(hank);

    assert.deepEqual((await g.requestJson('FAR', { reason: '我是gina', targetUserId: hank.userId })).json, SUCCESS);
    const v1 = await waitFrn(h);
    assert.equal((await h.request('FHR', handleRequest(gina.userId, 2))).errorCode, 0);
    const v2 = await waitFrn(g);
    assert.ok(BigInt(v2) > BigInt(v1));
    await noPush(g, SubSignal.FN);

    const seen = (await g.requestJson('FRP', { version: v2 })).json as { direction: number; from: string; target: string; status: number }[];
    assert.deepEqual(seen.map((r) => [r.direction, r.from, r.target, r.status]), [[0, gina.userId, hank.userId, 2]]);
    assert.deepEqual(await wsFriends(g), []);
    assert.deepEqual(await tcpFriends(h), []);
    assert.equal((await g.sendText({ type: PRIVATE, target: hank.userId }, 'still allowed to talk')).ok, true, 'rejection is not a blacklist');

    assert.deepEqual((await g.requestJson('FAR', { reason: 'please?', targetUserId: hank.userId })).json, SUCCESS);
    await waitFrn(h);
    const pending = Proto.GetFriendRequestResult.decode((await h.request('FRP', version(v2))).body).entry;
    assert.deepEqual(pending.map((r) => [r.fromUid, r.reason, r.status, r.toReadStatus]), [[gina.userId, 'please?', 0, false]]);
  });

  test('the Android app accepts with FHR status 0 (as FShareChat does); the web client with 1', async () => {
    const kate = await login('kate-web');
    const liam = await login('liam-phone');
    const k = await ws(kate);
    const l = await tcp(liam);

    assert.deepEqual((await k.requestJson('FAR', { reason: '我是kate', targetUserId: liam.userId })).json, SUCCESS);
    await waitFrn(l);
    assert.equal((await l.request('FHR', handleRequest(kate.userId, 0))).errorCode, 0, 'status 0 is the app\'s accept');
    const head = await waitFn(k);
    assert.equal(await waitFn(l), head);
    assert.deepEqual((await tcpFriends(l)).map((f) => f.uid), [kate.userId]);
    assert.deepEqual((await wsFriends(k)).map((f) => f.friendUid), [liam.userId]);
    const requests = (await k.requestJson('FRP', { version: 0 })).json as { from: string; status: number }[];
    assert.deepEqual(requests.map((r) => [r.from, r.status]), [[kate.userId, 1]], 'the request is accepted, not rejected');
    assert.equal((await l.request('FHR', handleRequest(kate.userId, 0))).errorCode, 2, 'a handled request cannot be accepted twice');
  });

  test('alias (FALS) and delete (FDL) need a friend; FN tells the devices of each affected user', async () => {
    const ivan = await login('ivan-phone');
    const judy = await login('judy-web');
    const stranger = await login('stranger');
    const i = await tcp(ivan);
    const j = await ws(judy);
    await befriend(i, j, judy.userId, ivan.userId);

    assert.equal((await i.request('FALS', addFriend(judy.userId, 'Judy from work'))).errorCode, 0);
    const aliasHead = await waitFn(i);
    await noPush(j, SubSignal.FN);
    assert.deepEqual((await tcpFriends(i)).map((f) => [f.uid, f.alias, f.state, f.updateDt]), [[judy.userId, 'Judy from work', 0, aliasHead]]);
    assert.deepEqual((await j.requestJson('FALS', { reason: '伊万', targetUserId: ivan.userId })).json, SUCCESS);
    await waitFn(j);
    assert.deepEqual((await wsFriends(j)).map((f) => [f.friendUid, f.alias]), [[ivan.userId, '伊万']]);

    assert.equal((await i.request('FALS', addFriend(stranger.userId, 'who?'))).errorCode, 253, 'alias for a non-friend');
    assert.equal((await j.request('FALS', { reason: 'who?', targetUserId: stranger.userId })).content, '');
    assert.equal((await i.request('FALS', addFriend(judy.userId, 'y'.repeat(200)))).errorCode, 2, 'alias too long');
    assert.equal((await tcpFriends(i))[0]!.alias, 'Judy from work', 'refusals change nothing');

    assert.deepEqual((await j.requestJson('FDL', { targetUid: ivan.userId })).json, SUCCESS);
    const deleteHead = await waitFn(i);
    assert.equal(await waitFn(j), deleteHead);
    assert.deepEqual(await wsFriends(j), [], 'the web list shows current friends only');
    assert.deepEqual((await tcpFriends(i)).map((f) => [f.uid, f.state, f.updateDt]), [[judy.userId, 1, deleteHead]], 'TCP sync sees the deletion');
    assert.equal((await i.request('FDL', Proto.UserRequest.encode({ uid: judy.userId }))).errorCode, 253, 'not a friend any more');
    assert.equal((await j.request('FDL', { targetUid: ivan.userId })).content, '');
    assert.equal((await i.request('FDL', Proto.UserRequest.encode({ uid: stranger.userId }))).errorCode, 253);
    assert.equal((await j.request('FDL', {})).content, '');
    assert.equal((await i.request('FALS', addFriend(judy.userId, 'ex'))).errorCode, 253);

    await befriend(i, j, judy.userId, ivan.userId);
    assert.deepEqual((await tcpFriends(i)).map((f) => [f.uid, f.state, f.alias]), [[judy.userId, 0, 'Judy from work']], 'befriended again, the alias is kept');
    assert.equal((await i.request('FDL', Proto.UserRequest.encode({ uid: judy.userId }))).errorCode, 0);
    await waitFn(j);
    assert.deepEqual(await wsFriends(j), []);
  });

  test('concurrent requests get distinct versions; an incremental FRP returns exactly the later changes', async () => {
    const target = await login('popular-phone');
    const t0 = await tcp(target);
    const senders = await Promise.all(Array.from({ length: 8 }, (_, n) => login(`fan-${n}`).then(tcp)));
    const acks = await Promise.all(senders.map((s) => s.request('FAR', addFriend(target.userId, 'hi'))));
    assert.deepEqual(acks.map((a) => a.errorCode), Array(8).fill(0));
    const all = Proto.GetFriendRequestResult.decode((await t0.request('FRP', version(0))).body).entry;
    const versions = all.map((r) => BigInt(r.updateDt!));
    assert.equal(new Set(versions).size, 8, 'no two changes share a version');
    assert.deepEqual(versions, [...versions].sort((x, y) => (x < y ? -1 : 1)), 'oldest change first');
    for (let i = 0; i < all.length; i++) {
      const after = Proto.GetFriendRequestResult.decode((await t0.request('FRP', version(all[i]!.updateDt!))).body).entry;
      assert.deepEqual(after.map((r) => r.fromUid), all.slice(i + 1).map((r) => r.fromUid));
    }
  });

  test('blacklist (BLU) refuses sends and requests with 246, friend or not, until removed', async () => {
    const kim = await login('kim-phone');
    const leo = await login('leo-web');
    const k = await tcp(kim);
    const l = await ws(leo);
    const leoPhone = await tcp(await t.login(leo.mobile, 'leo-phone'));

    assert.deepEqual((await l.requestJson('BLU', { targetUid: kim.userId, status: 1 })).json, SUCCESS);
    const blHead = await waitFn(l);
    assert.equal(await waitFn(leoPhone), blHead);
    await noPush(k, SubSignal.FN);
    assert.equal((await k.sendText({ type: PRIVATE, target: leo.userId }, 'hello?')).errorCode, 246, 'a blacklisted non-friend cannot send');
    assert.equal((await k.request('FAR', addFriend(leo.userId, 'let me in'))).errorCode, 246, 'nor ask to be a friend');
    assert.deepEqual((await tcpFriends(leoPhone)).map((f) => [f.uid, f.state, f.updateDt]), [[kim.userId, 2, blHead]]);
    assert.deepEqual(await wsFriends(l), [], 'a blacklisted non-friend is no friend on the web');
    assert.equal((await l.sendText({ type: PRIVATE, target: kim.userId }, 'I may still write')).ok, true, 'the blacklist is one-way');

    assert.equal((await leoPhone.request('BLU', handleRequest(kim.userId, 0))).errorCode, 0);
    await waitFn(l);
    assert.equal((await k.sendText({ type: PRIVATE, target: leo.userId }, 'thanks')).errorCode, 0, 'removal restores sending');
    assert.deepEqual((await tcpFriends(leoPhone)).map((f) => [f.uid, f.state]), [[kim.userId, 1]], 'TCP sync sees the removal');

    await befriend(k, l, leo.userId, kim.userId);
    assert.equal((await leoPhone.request('BLU', handleRequest(kim.userId, 1))).errorCode, 0);
    await waitFn(l);
    assert.equal((await k.sendText({ type: PRIVATE, target: leo.userId }, 'friends?')).errorCode, 246, 'a blacklisted friend cannot send either');
    assert.deepEqual((await tcpFriends(leoPhone)).map((f) => [f.uid, f.state]), [[kim.userId, 2]]);
    assert.deepEqual((await wsFriends(l)).map((f) => f.friendUid), [kim.userId], 'the friendship itself remains');
    assert.deepEqual((await tcpFriends(k)).map((f) => [f.uid, f.state]), [[leo.userId, 0]], 'the blacklisted side is not told');
    assert.deepEqual((await l.requestJson('BLU', { targetUid: kim.userId, status: 0 })).json, SUCCESS);
    assert.equal((await k.sendText({ type: PRIVATE, target: leo.userId }, 'back')).errorCode, 0);

    assert.equal((await leoPhone.request('BLU', handleRequest(kim.userId, 5))).errorCode, 2, 'status must be 0 or 1');
    assert.equal((await leoPhone.request('BLU', handleRequest(leo.userId, 1))).errorCode, 2, 'not yourself');
    assert.equal((await leoPhone.request('BLU', handleRequest('nobody-here', 1))).errorCode, 253);
    assert.equal((await l.request('BLU', { targetUid: kim.userId, status: 'yes' })).content, '');
    assert.equal((await l.request('BLU', { targetUid: 'nobody-here', status: 1 })).content, '');
    assert.equal((await k.sendText({ type: PRIVATE, target: leo.userId }, 'still fine')).errorCode, 0, 'refused BLUs changed nothing');
  });
});
