import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLoginToken } from '@fscpush/protocol';
import { TestServer } from './harness.ts';

describe('HTTP login: /send_code and /login', () => {
  let t: TestServer;

  before(async () => {
    // no super code: the real SMS flow only
    t = await TestServer.start({ overrides: { 'sms.superCode': '', 'sms.code.interval.seconds': 1 } });
  });
  after(() => t.stop());

  test('CORS preflight is answered for the web client', async () => {
    for (const path of ['/login', '/send_code']) {
      const res = await fetch(`${t.loginUrl}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://chat.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /content-type/);
    }
  });

  test('a new mobile registers on its first login; the token decodes as the clients decode it', async () => {
    const mobile = '13900005001';
    assert.deepEqual((await t.post('/send_code', { mobile })).json, { code: 0, message: 'success' });
    const code = t.smsCode(mobile);
    assert.match(code ?? '', /^\d{4}$/);

    const first = await t.post('/login', { mobile, code, clientId: 'dev-a' });
    assert.equal(first.json.code, 0);
    assert.equal(first.json.result.register, true);
    const parts = decodeLoginToken(first.json.result.token);
    assert.equal(parts.sessionSecret.length >= 16, true);
    assert.notEqual(parts.userToken, '');

    const reuse = await t.post('/login', { mobile, code, clientId: 'dev-a' });
    assert.equal(reuse.json.code, 5, 'a code works once');
  });

  test('codes: too frequent, wrong (burnt after five tries), invalid mobile, no super code by default', async () => {
    const mobile = '13900005002';
    await t.post('/send_code', { mobile });
    assert.equal((await t.post('/send_code', { mobile })).json.code, 3, 'one code per interval');
    const code = t.smsCode(mobile)!;
    const wrong = code === '0000' ? '1111' : '0000';
    for (let i = 0; i < 5; i++) assert.equal((await t.post('/login', { mobile, code: wrong, clientId: 'dev' })).json.code, 6);
    assert.equal((await t.post('/login', { mobile, code, clientId: 'dev' })).json.code, 5, 'the code is burnt after five wrong guesses');

    assert.equal((await t.post('/send_code', { mobile: 'abc' })).json.code, 1);
    assert.equal((await t.post('/login', { mobile: '1', code: '1234', clientId: 'x' })).json.code, 1);
    for (const superCode of ['66666', '556677']) {
      assert.equal((await t.post('/login', { mobile: '13800000000', code: superCode, clientId: 'x' })).json.code, 5, `${superCode} is not a master code`);
    }
  });

  test('a second login of the same mobile is not a registration and keeps the user id', async () => {
    const mobile = '13900005003';
    await t.post('/send_code', { mobile });
    const first = await t.post('/login', { mobile, code: t.smsCode(mobile), clientId: 'one' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await t.post('/send_code', { mobile });
    const second = await t.post('/login', { mobile, code: t.smsCode(mobile), clientId: 'two' });
    assert.equal(first.json.result.register, true);
    assert.equal(second.json.result.register, false);
    assert.equal(second.json.result.userId, first.json.result.userId);
  });

  test('malformed bodies get a clear error code, never a stack trace', async () => {
    const res = await fetch(`${t.loginUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mobile":' });
    const json = (await res.json()) as { code: number };
    assert.equal(json.code, 2);
    assert.doesNotMatch(JSON.stringify(json), /at .*\.ts|Error:/);
    assert.equal((await t.post('/login', { mobile: '13900005009', code: '1234' })).json.code, 2, 'clientId is required');
  });
});
