import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Proto, type User } from '@fscpush/protocol';
import type { TcpImClient, WsImClient } from '@fscpush/testkit';
import { TestServer, type LoggedIn } from './harness.ts';

const SUCCESS = { code: 200, message: 'success' };

interface WebUser {
  uid: string;
  name: string;
  displayName: string;
  portrait: string;
  mobile: string;
  gender: number;
  company: string;
  updateDt: number;
}

describe('user profiles (MMI) and user search (US) over TCP and WebSocket', () => {
  let t: TestServer;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let a: TcpImClient;
  let b: WsImClient;
  const ALICE_MOBILE = '13900003001';

  before(async () => {
    t = await TestServer.start();
    alice = await t.login(ALICE_MOBILE, 'alice-phone');
    bob = await t.login('13900003002', 'bob-web');
    a = (await t.connect('tcp', alice)) as TcpImClient;
    b = (await t.connect('ws', bob)) as WsImClient;
  });
  after(() => t.stop());

  const modify = (...entry: { type: number; value: string }[]) => Proto.ModifyMyInfoRequest.encode({ entry });
  const search = (keyword: string, fuzzy: number, page: number) => Proto.SearchUserRequest.encode({ keyword, fuzzy, page });

  async function webUser(uid: string): Promise<WebUser> {
    const reply = await b.requestJson('UPUI', [uid]);
    const users = reply.json as WebUser[];
    assert.equal(users.length, 1);
    return users[0]!;
  }

  async function tcpSearch(keyword: string, fuzzy: number, page: number): Promise<User[]> {
    const ack = await a.request('US', search(keyword, fuzzy, page));
    assert.equal(ack.errorCode, 0);
    return Proto.SearchUserResult.decode(ack.body).entry;
  }

  async function wsSearch(content: object): Promise<WebUser[]> {
    const reply = await b.requestJson('US', content);
    assert.equal(reply.ok, true);
    assert.ok(Array.isArray(reply.json));
    return reply.json as WebUser[];
  }

  async function apiCall(method: string, path: string, body?: unknown) {
    const res = await fetch(`${t.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.server.adminSecret}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as any };
  }

  test('MMI over TCP changes several fields at once; others see them through UPUI', async () => {
    const before = await webUser(alice.userId);
    const ack = await a.request('MMI', modify({ type: 0, value: 'Alice Liddell' }, { type: 1, value: 'https://img.example/alice.png' }, { type: 5, value: 'Wonderland Ltd' }, { type: 8, value: '2' }));
    assert.deepEqual([ack.errorCode, ack.body.byteLength], [0, 0]);
    const after = await webUser(alice.userId);
    assert.deepEqual([after.displayName, after.portrait, after.company, after.gender], ['Alice Liddell', 'https://img.example/alice.png', 'Wonderland Ltd', 2]);
    assert.equal(after.mobile, '', "another user does not see alice's mobile");
    assert.ok(after.updateDt >= before.updateDt);

    const tcpView = Proto.PullUserResult.decode((await a.request('UPUI', Proto.PullUserRequest.encode({ request: [{ uid: alice.userId }, { uid: bob.userId }] }))).body).result;
    const byUid = new Map(tcpView.map((r) => [r.user.uid, [r.user.displayName, r.user.gender, r.user.mobile]]));
    assert.deepEqual(byUid.get(alice.userId), ['Alice Liddell', 2, ALICE_MOBILE], 'alice sees her own mobile (untouched)');
    assert.deepEqual(byUid.get(bob.userId), [(await webUser(bob.userId)).displayName, 0, ''], "but not bob's");
  });

  test('MMI over WebSocket: {type, value} answers the byte-result JSON', async () => {
    assert.deepEqual((await b.requestJson('MMI', { type: 0, value: '鲍勃' })).json, SUCCESS);
    assert.deepEqual((await b.requestJson('MMI', { type: 1, value: 'https://img.example/bob.png' })).json, SUCCESS);
    const bobNow = await webUser(bob.userId);
    assert.deepEqual([bobNow.displayName, bobNow.portrait], ['鲍勃', 'https://img.example/bob.png']);
  });

  test('MMI refusals change nothing: mobile (248), unknown type, empty name, too long, bad gender, bad body', async () => {
    const before = await webUser(alice.userId);
    assert.equal((await a.request('MMI', modify({ type: 2, value: '13900009999' }))).errorCode, 248, 'the mobile is the login identity');
    assert.equal((await a.request('MMI', modify({ type: 42, value: 'x' }))).errorCode, 2);
    assert.equal((await a.request('MMI', modify({ type: 0, value: '   ' }))).errorCode, 2, 'a display name may not be empty');
    assert.equal((await a.request('MMI', modify({ type: 1, value: 'p'.repeat(2000) }))).errorCode, 2);
    assert.equal((await a.request('MMI', modify({ type: 8, value: 'female' }))).errorCode, 2);
    assert.equal((await a.request('MMI', modify())).errorCode, 2, 'no entries');
    assert.equal((await a.request('MMI', modify({ type: 0, value: 'Half Applied' }, { type: 2, value: '13900009999' }))).errorCode, 248, 'one bad entry refuses all');
    assert.equal((await a.request('MMI', Buffer.from([0x0a, 0x05, 0x08]))).errorCode, 2, 'undecodable body');
    for (const content of [{ type: 2, value: '13900009999' }, { type: 0, value: '' }, { type: 0 }, { type: 'name', value: 'x' }, { value: 'x' }]) {
      assert.equal((await b.request('MMI', content)).content, '', `WebSocket ${JSON.stringify(content)}`);
    }
    assert.equal((await b.request('MMI', [])).content, '');
    assert.deepEqual(await webUser(alice.userId), before);
  });

  test('a user registered by login is named by its uid and 用户 + six characters; US never matches or shows a mobile', async () => {
    const carol = await t.login('+86 139-0000-3003', 'carol-phone');
    const view = await webUser(carol.userId);
    assert.equal(view.name, carol.userId);
    assert.match(view.displayName, /^用户[A-Za-z0-9]{6}$/);
    assert.ok(!JSON.stringify(view).includes('3003'), JSON.stringify(view));
    for (const keyword of ['13900003003', '+8613900003003', '139000030', '3003', '13900003001']) {
      assert.deepEqual(await wsSearch({ keyword, fuzzy: 1, page: 0 }), [], `fuzzy ${keyword}`);
      assert.deepEqual(await tcpSearch(keyword, 0, 0), [], `exact ${keyword}`);
    }
    assert.deepEqual((await tcpSearch(carol.userId, 0, 0)).map((u) => [u.uid, u.mobile]), [[carol.userId, '']], 'by uid, without the mobile');
  });

  test('US finds exact uid, and with fuzzy names containing the keyword, 20 a page', async () => {
    for (let i = 0; i < 23; i++) {
      const created = await apiCall('POST', '/v1/users', { uid: `zebra-${String(i).padStart(2, '0')}`, name: `zname${i}`, displayName: `Zebra Crossing ${i}`, mobile: `1390000${String(4000 + i)}` });
      assert.equal(created.status, 200, JSON.stringify(created.json));
    }
    const page0 = await tcpSearch('zebra cross', 1, 0);
    const page1 = await tcpSearch('zebra cross', 1, 1);
    const page2 = await tcpSearch('zebra cross', 1, 2);
    assert.deepEqual([page0.length, page1.length, page2.length], [20, 3, 0]);
    const all = [...page0, ...page1].map((u) => u.uid);
    assert.equal(new Set(all).size, 23, 'pages do not overlap');
    assert.ok(all.every((uid) => uid.startsWith('zebra-')));
    assert.ok([...page0, ...page1].every((u) => u.mobile === ''), 'a fuzzy search does not reveal mobiles');

    const webPages = [await wsSearch({ keyword: 'ZEBRA', fuzzy: 1, page: 0 }), await wsSearch({ keyword: 'ZEBRA', fuzzy: 1, page: 1 })];
    assert.deepEqual(webPages.flat().map((u) => u.uid), all, 'same order over WebSocket; case-insensitive');
    assert.equal(typeof webPages[0]![0]!.updateDt, 'number');

    assert.deepEqual((await tcpSearch('zname7', 1, 0)).map((u) => u.uid), ['zebra-07'], 'fuzzy matches the name too');
    assert.deepEqual(await tcpSearch('zname7', 0, 0), [], 'without fuzzy a name is no match');
    assert.deepEqual((await tcpSearch('zebra-05', 0, 0)).map((u) => u.uid), ['zebra-05'], 'exact uid');
    assert.deepEqual(await wsSearch({ keyword: '13900004009', fuzzy: 0, page: 0 }), [], 'not by mobile, even exact');
    assert.deepEqual(await wsSearch({ keyword: '1390000400', fuzzy: 1, page: 0 }), [], 'no partial mobile matches');
    assert.deepEqual(await wsSearch({ keyword: 'system', fuzzy: 0, page: 0 }), [], 'the system sender is not a user to find');
  });

  test('US keywords are data, not SQL or wildcards', async () => {
    for (const [uid, displayName] of [['pct-user', '100% sure'], ['under-user', 'snake_case'], ['plain-user', '100 sure snakeXcase']]) {
      assert.equal((await apiCall('POST', '/v1/users', { uid, name: uid, displayName })).status, 200);
    }
    assert.deepEqual((await tcpSearch('%', 1, 0)).map((u) => u.uid), ['pct-user'], '% is a literal percent sign');
    assert.deepEqual((await tcpSearch('0% s', 1, 0)).map((u) => u.uid), ['pct-user']);
    // other users are named by their uid, which may hold '_' itself: only this test's users tell a wildcard apart
    const ours = new Set(['pct-user', 'under-user', 'plain-user']);
    const underscore = (await wsSearch({ keyword: 'e_c', fuzzy: 1, page: 0 })).map((u) => u.uid).filter((uid) => ours.has(uid));
    assert.deepEqual(underscore, ['under-user'], '_ is a literal underscore (plain-user\'s "eXc" does not match)');
    assert.deepEqual((await wsSearch({ keyword: '!', fuzzy: 1, page: 0 })), [], 'the escape character itself is literal');
    for (const keyword of ["' OR '1'='1", "x'); DROP TABLE users;--", '" OR ""="', '\\']) {
      assert.deepEqual(await tcpSearch(keyword, 1, 0), [], keyword);
      assert.deepEqual(await wsSearch({ keyword, fuzzy: 0, page: 0 }), [], keyword);
    }
    assert.equal((await webUser(alice.userId)).uid, alice.userId, 'the users table is still there');
  });

  test('US refusals: empty or too long keyword, bad page, bad body', async () => {
    assert.equal((await a.request('US', search('', 1, 0))).errorCode, 2);
    assert.equal((await a.request('US', search('   ', 1, 0))).errorCode, 2);
    assert.equal((await a.request('US', search('k'.repeat(65), 1, 0))).errorCode, 2);
    assert.equal((await a.request('US', search('zebra', 1, -1))).errorCode, 2);
    assert.equal((await a.request('US', Buffer.from([0x10, 0x01]))).errorCode, 2, 'keyword is required');
    assert.equal((await b.request('US', { keyword: '', fuzzy: 1, page: 0 })).content, '');
    assert.equal((await b.request('US', { fuzzy: 1, page: 0 })).content, '');
    assert.equal((await b.request('US', { keyword: 'zebra', fuzzy: 1, page: 'first' })).content, '');
    assert.equal((await b.request('US', { keyword: 'zebra', fuzzy: 1, page: 1.5 })).content, '');
  });

  test('the open API updates a profile (UserService.update); bad fields change nothing', async () => {
    const updated = await apiCall('PATCH', `/v1/users/${bob.userId}`, { displayName: 'Robert', company: 'ACME', gender: 1 });
    assert.equal(updated.status, 200, JSON.stringify(updated.json));
    assert.deepEqual([updated.json.result.displayName, updated.json.result.company, updated.json.result.gender], ['Robert', 'ACME', 1]);
    assert.deepEqual([(await webUser(bob.userId)).displayName, (await webUser(bob.userId)).company], ['Robert', 'ACME']);
    assert.equal((await apiCall('PATCH', `/v1/users/${bob.userId}`, { displayName: '' })).status, 400);
    assert.equal((await apiCall('PATCH', `/v1/users/${bob.userId}`, { mobile: '13900009999' })).status, 400);
    assert.equal((await apiCall('PATCH', '/v1/users/nobody-here', { displayName: 'Ghost' })).status, 404);
    assert.equal((await webUser(bob.userId)).displayName, 'Robert');
  });
});
