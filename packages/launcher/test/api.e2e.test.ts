import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TestServer, pullAll } from './harness.ts';

describe('push-api: authenticated admin API', () => {
  let t: TestServer;
  let auth: Record<string, string>;

  before(async () => {
    t = await TestServer.start();
    auth = { authorization: `Bearer ${t.server.adminSecret}`, 'content-type': 'application/json' };
  });
  after(() => t.stop());

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) => {
    const res = await fetch(`${t.apiUrl}${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, json: (await res.json()) as any };
  };

  test('liveness is open; everything else needs the admin secret', async () => {
    assert.deepEqual((await call('GET', '/monitor/alive', undefined, {})).json, { code: 200, message: 'success' });
    for (const [method, path] of [['POST', '/v1/users'], ['GET', '/v1/users/system'], ['POST', '/v1/messages'], ['POST', '/admin/user/create'], ['POST', '/admin/user/get_info']]) {
      const body = method === 'GET' ? undefined : {};
      const none = await call(method!, path!, body, { 'content-type': 'application/json' });
      assert.equal(none.status, 401, `${path} without a secret`);
      assert.equal(none.json.error.code, 'UNAUTHENTICATED');
      const wrong = await call(method!, path!, body, { authorization: 'Bearer nope', 'content-type': 'application/json' });
      assert.equal(wrong.status, 401, `${path} with a wrong secret`);
    }
  });

  test('the generated secret is kept in the data dir, readable only by its owner', () => {
    const file = join(t.dataDir, 'admin-secret');
    assert.equal(readFileSync(file, 'utf8').trim(), t.server.adminSecret);
    assert.equal(statSync(file).mode & 0o077, 0);
  });

  test('create and get users, v1 and FShareChat paths', async () => {
    const created = await call('POST', '/v1/users', { uid: 'api-user-1', name: 'apiuser', displayName: 'API User', mobile: '13700006001' });
    assert.equal(created.status, 200);
    assert.equal(created.json.result.uid, 'api-user-1');
    const got = await call('GET', '/v1/users/api-user-1');
    assert.equal(got.json.result.displayName, 'API User');
    const missing = await call('GET', '/v1/users/nobody-here');
    assert.deepEqual([missing.status, missing.json.error.code], [404, 'NOT_EXIST']);
    const dup = await call('POST', '/v1/users', { uid: 'api-user-1' });
    assert.deepEqual([dup.status, dup.json.error.code], [400, 'INVALID_DATA']);
    const bad = await call('POST', '/v1/users', { uid: "x'; DROP TABLE users;--" });
    assert.deepEqual([bad.status, bad.json.error.code], [400, 'INVALID_DATA']);

    const legacy = await call('POST', '/admin/user/create', { userId: 'api-user-2', name: 'second', displayName: 'Second' });
    assert.equal(legacy.json.code, 0);
    const info = await call('POST', '/admin/user/get_info', { mobile: '13700006001' });
    assert.deepEqual([info.json.code, info.json.result.uid], [0, 'api-user-1']);
  });

  test('a system message sent through the API reaches the user\'s device', async () => {
    const who = await t.login('13700006002', 'api-recv');
    const device = await t.connect('ws', who);
    const start = await pullAll(device, '0');
    const sent = await call('POST', '/v1/messages', { conversation: { type: 0, target: who.userId, line: 0 }, content: { type: 1, searchableContent: 'welcome' } });
    assert.equal(sent.status, 200);
    assert.match(sent.json.result.messageId, /^\d+$/);
    await device.waitForNotify();
    const { messages } = await pullAll(device, start.cursor);
    assert.deepEqual(messages.map((m) => [m.from, m.text]), [['system', 'welcome']]);

    const asUser = await call('POST', '/v1/messages', { from: 'api-user-1', conversation: { type: 0, target: who.userId }, content: { type: 1, searchableContent: 'hi from api-user-1' } });
    assert.equal(asUser.status, 200);
    const invalid = await call('POST', '/v1/messages', { conversation: { type: 0, target: who.userId }, content: { type: 'text' } });
    assert.deepEqual([invalid.status, invalid.json.error.code], [400, 'INVALID_DATA']);
  });

  test('mute forbids sending (247); block disconnects the user\'s devices and refuses CONNECT and login', async () => {
    const mobile = '13700006003';
    const who = await t.login(mobile, 'status-phone');
    const peer = await t.login('13700006004', 'status-peer');
    const phone = await t.connect('tcp', who);

    assert.equal((await call('PUT', `/v1/users/${who.userId}/status`, { status: 1 })).status, 200);
    const muted = await phone.sendText({ type: 0, target: peer.userId }, 'can I talk?');
    assert.equal(muted.errorCode, 247);
    assert.equal((await call('PUT', `/v1/users/${who.userId}/status`, { status: 0 })).status, 200);
    assert.equal((await phone.sendText({ type: 0, target: peer.userId }, 'yes')).errorCode, 0);

    assert.equal((await call('PUT', `/v1/users/${who.userId}/status`, { status: 2 })).status, 200);
    assert.equal((await phone.closed).initiator, 'remote', 'blocking disconnects online devices');
    const refused = await t.newClient('ws').connect({
      host: '127.0.0.1', port: t.server.ports.ws, path: '/ws', userName: who.userId,
      password: (await import('@fscpush/protocol')).deriveConnectPassword(who.token, { webQuirks: true }), clientId: who.clientId,
    });
    assert.deepEqual([refused.accepted, refused.code], [false, 'CONNECTION_REFUSED_IDENTIFIER_REJECTED']);
    assert.equal((await t.post('/login', { mobile, code: '918273', clientId: 'again' })).json.code, 7);

    assert.equal((await call('PUT', `/v1/users/${who.userId}/status`, { status: 9 })).status, 400);
    assert.equal((await call('PUT', '/v1/users/nobody/status', { status: 1 })).status, 404);
  });
});
