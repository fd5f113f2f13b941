import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigKey } from '@fscpush/core';
import { TEST_SUPER_CODE, TestServer } from './harness.ts';

/** POST to the login port as a client behind a proxy on loopback that names `address` in X-Forwarded-For. */
async function postFrom(t: TestServer, address: string, path: string, body: unknown): Promise<{ code: number; message: string; result?: any }> {
  const res = await fetch(`${t.loginUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) });
  return (await res.json()) as { code: number; message: string };
}

function withServer(overrides: Partial<Record<ConfigKey, string | number>>): () => TestServer {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start({ overrides: { 'sms.superCode': '', ...overrides } });
  });
  after(() => t.stop());
  return () => t;
}

describe('/send_code limits per source address and for everyone', () => {
  const server = withServer({ 'sms.code.address.hourly.limit': 3, 'sms.code.global.minute.limit': 5 });

  test('an address gets its hourly codes; then all addresses together reach the global limit', async () => {
    const t = server();
    const codes = async (address: string, from: number, count: number) => {
      const answers: number[] = [];
      for (let i = 0; i < count; i++) answers.push((await postFrom(t, address, '/send_code', { mobile: `1390000${from + i}` })).code);
      return answers;
    };
    assert.deepEqual(await codes('203.0.113.1', 8001, 4), [0, 0, 0, 3], 'three an hour from one address');
    assert.deepEqual(await codes('203.0.113.2', 8101, 3), [0, 0, 3], 'five a minute from everyone');
    const over = await postFrom(t, '203.0.113.3', '/send_code', { mobile: '13900008201' });
    assert.equal(over.code, 3);
    assert.match(over.message, /try again in a minute/);
  });
});

describe('failed logins per source address', () => {
  const server = withServer({ 'login.failure.address.hourly.limit': 4 });

  test('after its failures an address is refused even the right code; another address is not', async () => {
    const t = server();
    const mobile = '13900008301';
    assert.equal((await postFrom(t, '198.51.100.7', '/send_code', { mobile })).code, 0);
    const code = t.smsCode(mobile)!;
    const wrong = code === '0000' ? '1111' : '0000';
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await postFrom(t, '198.51.100.7', '/login', { mobile: '13900008399', code: wrong, clientId: 'guess' })).code);
    assert.deepEqual(answers, [5, 5, 5, 5], 'no code was issued for that mobile');
    const refused = await postFrom(t, '198.51.100.7', '/login', { mobile, code, clientId: 'dev' });
    assert.equal(refused.code, 3);
    assert.match(refused.message, /failed logins/);
    assert.equal((await postFrom(t, '198.51.100.8', '/login', { mobile, code, clientId: 'dev' })).code, 0, 'the code still works from elsewhere');
  });
});

describe('X-Forwarded-For only from trusted proxies', () => {
  const server = withServer({ 'login.trusted.proxies': '192.0.2.10', 'sms.code.address.hourly.limit': 2 });

  test('from an untrusted peer the header is ignored: every request counts for the peer itself', async () => {
    const t = server();
    const answers = [];
    for (const [i, forwarded] of ['203.0.113.10', '203.0.113.11', '203.0.113.12'].entries()) {
      answers.push((await postFrom(t, forwarded, '/send_code', { mobile: `1390000840${i}` })).code);
    }
    assert.deepEqual(answers, [0, 0, 3]);
  });

  test('a proxy list express cannot read stops the start', async () => {
    await assert.rejects(TestServer.start({ overrides: { 'login.trusted.proxies': '10.0.0.0/99' } }), /login\.trusted\.proxies/);
  });
});

describe('one normal form for a mobile: one account, one set of counters', () => {
  const server = withServer({ 'sms.superCode': TEST_SUPER_CODE });

  test('+86, 0086, 86, a trunk 0, spaces and dashes reach the same account', async () => {
    const t = server();
    const forms = ['13900008501', '+8613900008501', '0086 139 0000 8501', '8613900008501', '013900008501', '139-0000-8501'];
    const users = new Set<string>();
    for (const [i, mobile] of forms.entries()) {
      const { json } = await t.post('/login', { mobile, code: TEST_SUPER_CODE, clientId: `form-${i}` });
      assert.equal(json.code, 0, `${mobile}: ${JSON.stringify(json)}`);
      assert.equal(json.result.register, i === 0, mobile);
      users.add(json.result.userId);
    }
    assert.equal(users.size, 1);
    for (const mobile of ['1390000850', '23900008501', '+86 1390000850', '12ab']) assert.equal((await t.post('/send_code', { mobile })).json.code, 1, mobile);
  });

  test('the per-mobile interval counts every written form of one mobile', async () => {
    const t = server();
    assert.equal((await t.post('/send_code', { mobile: '13900008601' })).json.code, 0);
    assert.equal((await t.post('/send_code', { mobile: '+86 139 0000 8601' })).json.code, 3);
    assert.match(t.smsCode('13900008601') ?? '', /^\d{4}$/, 'the code is issued for the normal form');
  });

  test('the open API finds a user by any form of the mobile', async () => {
    const t = server();
    const { json } = await t.post('/login', { mobile: '13900008701', code: TEST_SUPER_CODE, clientId: 'api' });
    const res = await fetch(`${t.apiUrl}/admin/user/get_info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.server.adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mobile: '+86 139-0000-8701' }),
    });
    const body = (await res.json()) as { code: number; result?: { userId?: string; uid?: string } };
    assert.equal(body.code, 0, JSON.stringify(body));
    assert.equal(body.result?.userId ?? body.result?.uid, json.result.userId);
  });
});
