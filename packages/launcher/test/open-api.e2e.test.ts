import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Signal, SubSignal, type WebMessage } from '@fscpush/protocol';
import { ROUTES } from '@fscpush/push-api';
import type { ChatClient, WsImClient } from '@fscpush/testkit';
import { TestServer, pullAll, type LoggedIn } from './harness.ts';
import { OpenApiClient } from './open-api-client.ts';

const OPENAPI_FILE = new URL('../../push-api/openapi.json', import.meta.url);
const text = (s: string) => ({ type: 1, searchableContent: s });

type CallOptionsLike = { raw?: string; headers?: Record<string, string> };

/** Pulls what arrived after `cursor`, in the web client's shape, and advances the cursor. */
async function received(device: ChatClient, cursor: { at: string }): Promise<WebMessage[]> {
  const out: WebMessage[] = [];
  for (let round = 0; round < 100; round++) {
    const page = await device.pull(cursor.at, 0);
    out.push(...page.messages);
    // until a pull brings nothing new: that one was answered from the store (see harness pullAll)
    if (page.current === cursor.at) {
      cursor.at = page.current;
      return out;
    }
    cursor.at = page.current;
  }
  throw new Error('pull did not converge');
}

describe('push-api open API', () => {
  let t: TestServer;
  let api: OpenApiClient;
  let nextMobile = 13600007000;
  const people: (LoggedIn & { mobile: string })[] = [];

  before(async () => {
    // the rate limit has its own suite below; here hundreds of requests a second are the point
    t = await TestServer.start({ overrides: { 'push.api.rate.limit': 0 } });
    api = new OpenApiClient(t.apiUrl, t.server.adminSecret);
  });
  after(() => t.stop());

  const person = async (device = `dev-${nextMobile + 1}`) => {
    const mobile = String(++nextMobile);
    const who = { ...(await t.login(mobile, device)), mobile };
    people.push(who);
    return who;
  };
  /** A connected device with its inbox cursor at the current head. */
  const online = async (who: LoggedIn, transport: 'tcp' | 'ws' = 'ws') => {
    const device = await t.connect(transport, who);
    const cursor = { at: (await pullAll(device, '0')).cursor };
    return { device, cursor };
  };

  test('the OpenAPI document is served without credentials and is the file in the repo', async () => {
    const served = await api.call('GET', '/v1/openapi.json', { credential: null });
    assert.equal(served.status, 200);
    assert.deepEqual(served.json, JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
    assert.deepEqual((await api.call('GET', '/monitor/alive', { credential: null })).json, { code: 200, message: 'success' });
  });

  test('every documented operation is routed, and refuses a missing or wrong credential', async () => {
    const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    let operations = 0;
    for (const [template, item] of Object.entries<Record<string, any>>(doc.paths)) {
      const path = template.replace('{keyId}', '0123456789abcdef').replace(/\{[^}]+\}/g, 'nobody-probe');
      for (const [method, op] of Object.entries(item)) {
        operations++;
        const body = method === 'get' || method === 'delete' ? undefined : { probe: 1 };
        const verb = method.toUpperCase();
        if (op.security?.length === 0) {
          assert.equal((await api.call(verb, path, { credential: null })).status, 200, `${verb} ${template} is open`);
          continue;
        }
        for (const credential of [null, 'wrong-secret', 'fsk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
          const refused = await api.call(verb, path, { credential, ...(body !== undefined && { body }) });
          assert.deepEqual([refused.status, refused.json.error.code], [401, 'UNAUTHENTICATED'], `${verb} ${template} with ${credential}`);
        }
        const admitted = await api.call(verb, path, { ...(body !== undefined && { body }) });
        assert.notEqual(admitted.json?.error?.message, 'no such endpoint', `${verb} ${template} is routed`);
      }
    }
    assert.equal(operations, ROUTES.length);
  });

  test('unknown paths: 401 to strangers, 404 NOT_EXIST with credentials', async () => {
    assert.equal((await api.call('GET', '/v1/nothing-here', { credential: null })).status, 401);
    const missing = await api.call('GET', '/v1/nothing-here');
    assert.deepEqual([missing.status, missing.json.error.code], [404, 'NOT_EXIST']);
    assert.equal((await api.call('DELETE', '/v1/users')).status, 404);
  });

  test('the admin secret also works as x-admin-secret; Authorization must be Bearer', async () => {
    assert.equal((await api.call('GET', '/v1/apps', { credential: null, headers: { 'x-admin-secret': t.server.adminSecret } })).status, 200);
    const basic = await api.call('GET', '/v1/apps', { credential: null, headers: { authorization: `Basic ${t.server.adminSecret}` } });
    assert.equal(basic.status, 401);
  });

  test('app keys: created by the admin, shown once, stored as a hash, usable on the API but not on /v1/apps, disabled for good', async () => {
    const created = await api.call('POST', '/v1/apps', { body: { name: 'crm integration' } });
    assert.equal(created.status, 200);
    const { key, keyId } = created.json.result;
    assert.match(key, /^fsk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.equal(key.slice(4, 20), keyId);

    const listed = await api.call('GET', '/v1/apps');
    const entry = listed.json.result.find((k: { keyId: string }) => k.keyId === keyId);
    assert.deepEqual({ ...entry, createdAt: 0 }, { keyId, name: 'crm integration', disabled: false, createdAt: 0, disabledAt: 0 });
    assert.doesNotMatch(JSON.stringify(listed.json), new RegExp(key.slice(21)), 'the list never shows a key');

    const db = new DatabaseSync(join(t.dataDir, 'fscpush.sqlite'), { readOnly: true });
    try {
      const row = db.prepare('SELECT * FROM api_keys WHERE key_id = ?').get(keyId) as Record<string, unknown>;
      assert.equal(row['secret_hash'], createHash('sha256').update(key).digest('hex'));
      assert.doesNotMatch(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)), new RegExp(key.slice(21)), 'only the hash is stored');
    } finally {
      db.close();
    }

    const app = api.withCredential(key);
    const user = await app.call('POST', '/v1/users', { body: { uid: 'appkey-user', displayName: 'Made by an app' } });
    assert.equal(user.status, 200);
    assert.equal((await app.call('GET', '/v1/users/appkey-user')).json.result.displayName, 'Made by an app');
    for (const [method, path, body] of [['GET', '/v1/apps'], ['POST', '/v1/apps', { name: 'x' }], ['POST', `/v1/apps/${keyId}/disable`]] as const) {
      const denied = await app.call(method, path, body === undefined ? {} : { body });
      assert.deepEqual([denied.status, denied.json.error.code], [403, 'NO_RIGHT'], `${method} ${path} with an app key`);
    }
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    assert.equal((await app.call('GET', '/v1/users/appkey-user', { credential: tampered })).status, 401);

    const disabled = await api.call('POST', `/v1/apps/${keyId}/disable`);
    assert.equal(disabled.json.result.disabled, true);
    assert.ok(disabled.json.result.disabledAt > 0);
    const refused = await app.call('GET', '/v1/users/appkey-user');
    assert.deepEqual([refused.status, refused.json.error.code], [401, 'UNAUTHENTICATED']);
    assert.match(refused.json.error.message, /disabled/);
    assert.equal((await api.call('POST', `/v1/apps/${keyId}/disable`)).json.result.disabledAt, disabled.json.result.disabledAt, 'disabling again changes nothing');

    assert.equal((await api.call('POST', '/v1/apps/0123456789abcdef/disable')).status, 404);
    assert.equal((await api.call('POST', "/v1/apps/x'or'1'='1/disable")).status, 400);
    for (const body of [{}, { name: '' }, { name: 42 }, { name: 'a'.repeat(129) }, { name: 'ok', extra: true }]) {
      assert.equal((await api.call('POST', '/v1/apps', { body })).status, 400, JSON.stringify(body));
    }
  });

  test('users: create, get, update, status; bad bodies are 400 INVALID_DATA naming the field', async () => {
    const sqlish = "Robert'); DROP TABLE users;--";
    const created = await api.call('POST', '/v1/users', { body: { uid: 'oa-user-1', name: sqlish, displayName: 'One', mobile: '13600006999', gender: 1 } });
    assert.equal(created.status, 200);
    assert.equal(created.json.result.name, sqlish, 'stored literally');
    assert.equal((await api.call('GET', '/v1/users/oa-user-1')).json.result.name, sqlish);

    const updated = await api.call('PATCH', '/v1/users/oa-user-1', { body: { displayName: 'Renamed', company: 'ACME', gender: 2 } });
    assert.equal(updated.status, 200);
    assert.deepEqual([updated.json.result.displayName, updated.json.result.company, updated.json.result.gender], ['Renamed', 'ACME', 2]);
    assert.equal((await api.call('GET', '/v1/users/oa-user-1')).json.result.displayName, 'Renamed');

    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/users', { uid: 'x y' }, 'body.uid'],
      ['POST', '/v1/users', { gender: 'male' }, 'body.gender'],
      ['POST', '/v1/users', { name: 42 }, 'body.name'],
      ['POST', '/v1/users', { role: 'admin' }, 'body'],
      ['PATCH', '/v1/users/oa-user-1', {}, 'body'],
      ['PATCH', '/v1/users/oa-user-1', { mobile: '13600000000' }, 'body'],
      ['PATCH', '/v1/users/oa-user-1', { displayName: 'x'.repeat(129) }, 'body.displayName'],
      ['PUT', '/v1/users/oa-user-1/status', { status: 9 }, 'body.status'],
      ['PUT', '/v1/users/oa-user-1/status', { status: '1' }, 'body.status'],
    ];
    for (const [method, path, body, field] of cases) {
      const bad = await api.call(method, path, { body });
      assert.deepEqual([bad.status, bad.json.error.code], [400, 'INVALID_DATA'], `${method} ${path} ${JSON.stringify(body)}`);
      assert.ok(bad.json.error.details.issues.some((i: { path: string }) => i.path.startsWith(field)), `${JSON.stringify(bad.json.error)} names ${field}`);
    }
    assert.equal((await api.call('POST', '/v1/users', { body: { mobile: '12ab' } })).json.error.code, 'INVALID_MOBILE');
    assert.equal((await api.call('POST', '/v1/users', { body: { uid: 'oa-user-1' } })).status, 400, 'a taken uid');

    for (const path of ["/v1/users/x'%20OR%20'1'='1", '/v1/users/%00', '/v1/users/%E0%A4%A', `/v1/users/${'a'.repeat(65)}`]) {
      assert.equal((await api.call('GET', path)).status, 400, path);
    }
    for (const [method, path, body] of [['GET', '/v1/users/nobody-here'], ['PATCH', '/v1/users/nobody-here', { displayName: 'x' }], ['PUT', '/v1/users/nobody-here/status', { status: 1 }]] as const) {
      const missing = await api.call(method, path, body === undefined ? {} : { body });
      assert.deepEqual([missing.status, missing.json.error.code], [404, 'NOT_EXIST'], `${method} ${path}`);
    }
  });

  test('request bodies: malformed JSON, not JSON, missing, a bare value, oversized → 400 INVALID_DATA', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: [string, CallOptionsLike][] = [
      ['malformed', { raw: '{"uid": ', headers: json }],
      ['not JSON', { raw: 'uid=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['missing', {}],
      ['a bare value', { raw: '"x"', headers: json }],
      ['an array', { raw: '[1,2]', headers: json }],
      ['oversized', { raw: JSON.stringify({ name: 'x'.repeat(300 * 1024) }), headers: json }],
    ];
    for (const [what, options] of cases) {
      const reply = await api.call('POST', '/v1/users', options);
      assert.deepEqual([reply.status, reply.json.error.code], [400, 'INVALID_DATA'], what);
    }
    const deep = await api.call('POST', '/v1/messages', { raw: `{"content":${'['.repeat(5000)}${']'.repeat(5000)}}`, headers: json });
    assert.equal(deep.status, 400, 'deeply nested JSON');
  });

  test('messages reach connected devices: system, 1:1, group, batch; refusals carry their codes', async () => {
    const alice = await person();
    const bob = await person();
    const a = await online(alice, 'ws');
    const b = await online(bob, 'tcp');

    const system = await api.call('POST', '/v1/messages/system', { body: { to: alice.userId, content: text('maintenance at 2am') } });
    assert.equal(system.status, 200);
    await a.device.waitForNotify();
    const [fromSystem] = await received(a.device, a.cursor);
    assert.deepEqual([fromSystem?.from, fromSystem?.content.searchableContent, fromSystem?.messageId], ['system', 'maintenance at 2am', system.json.result.messageId]);

    const direct = await api.call('POST', '/v1/messages/private', { body: { from: bob.userId, to: alice.userId, content: { type: 3, remoteMediaUrl: 'https://cdn.example/p.jpg', mediaType: 1, data: 'AAEC' } } });
    assert.equal(direct.status, 200);
    await a.device.waitForNotify();
    const [image] = await received(a.device, a.cursor);
    assert.deepEqual([image?.from, image?.content.type, image?.content.remoteMediaUrl, image?.content.binaryContent], [bob.userId, 3, 'https://cdn.example/p.jpg', 'AAEC']);
    assert.deepEqual((await received(b.device, b.cursor)).map((m) => m.messageId), [direct.json.result.messageId], "the sender's devices sync the API's send");

    const generic = await api.call('POST', '/v1/messages', { body: { conversation: { type: 0, target: bob.userId }, content: text('generic') } });
    assert.equal(generic.status, 200);
    await b.device.waitForNotify();
    assert.deepEqual((await received(b.device, b.cursor)).map((m) => [m.from, m.content.searchableContent]), [['system', 'generic']]);

    const group = await api.call('POST', '/v1/groups', { body: { owner: alice.userId, name: 'API group', members: [bob.userId] } });
    assert.equal(group.status, 200);
    const gid = group.json.result.gid;
    await received(a.device, a.cursor);
    await received(b.device, b.cursor);
    const toGroup = await api.call('POST', '/v1/messages/group', { body: { from: alice.userId, gid, content: text('hello group') } });
    assert.equal(toGroup.status, 200);
    await b.device.waitForNotify();
    const [inGroup] = await received(b.device, b.cursor);
    assert.deepEqual([inGroup?.from, inGroup?.conversationType, inGroup?.target, inGroup?.content.searchableContent], [alice.userId, 1, gid, 'hello group']);
    const viaGeneric = await api.call('POST', '/v1/messages', { body: { from: bob.userId, conversation: { type: 1, target: gid }, content: text('me too') } });
    assert.equal(viaGeneric.status, 200);

    const batch = await api.call('POST', '/v1/messages/batch', { body: { targets: [alice.userId, bob.userId, 'nobody-at-all', alice.userId], content: text('to everyone') } });
    assert.equal(batch.status, 200);
    assert.deepEqual([batch.json.result.sent, batch.json.result.failed], [2, 1]);
    assert.deepEqual(batch.json.result.results.map((r: { target: string; ok: boolean; error?: { code: string } }) => [r.target, r.ok, r.error?.code]), [
      [alice.userId, true, undefined],
      [bob.userId, true, undefined],
      ['nobody-at-all', false, 'NOT_EXIST'],
    ]);
    for (const side of [a, b]) {
      const got = await received(side.device, side.cursor);
      assert.ok(got.some((m) => m.from === 'system' && m.content.searchableContent === 'to everyone'), `${side.device.transport} got the batch message`);
    }
    const fromUser = await api.call('POST', '/v1/messages/batch', { body: { from: bob.userId, targets: [alice.userId], content: text('from bob to many') } });
    assert.equal(fromUser.json.result.sent, 1);

    const refusals: [string, unknown, number, string][] = [
      ['/v1/messages/private', { from: bob.userId, to: 'nobody-at-all', content: text('x') }, 404, 'NOT_EXIST'],
      ['/v1/messages/private', { from: 'nobody-at-all', to: bob.userId, content: text('x') }, 404, 'NOT_EXIST'],
      ['/v1/messages/group', { from: 'system', gid, content: text('x') }, 403, 'NOT_IN_GROUP'],
      ['/v1/messages/group', { from: alice.userId, gid: 'no-such-group', content: text('x') }, 404, 'NOT_EXIST'],
      ['/v1/messages/batch', { from: 'nobody-at-all', targets: [bob.userId], content: text('x') }, 404, 'NOT_EXIST'],
      ['/v1/messages/batch', { targets: Array.from({ length: 1001 }, (_, i) => `u${i}`), content: text('x') }, 400, 'INVALID_DATA'],
      ['/v1/messages/batch', { targets: [], content: text('x') }, 400, 'INVALID_DATA'],
      ['/v1/messages/system', { to: bob.userId, content: { type: 'text' } }, 400, 'INVALID_DATA'],
      ['/v1/messages/system', { to: bob.userId, content: { type: 1, data: 'not base64!' } }, 400, 'INVALID_DATA'],
      ['/v1/messages/system', { to: bob.userId, content: { type: 1, searchableContent: 'x'.repeat(70_000) } }, 400, 'INVALID_DATA'],
      ['/v1/messages', { conversation: { type: 2, target: bob.userId }, content: text('x') }, 400, 'INVALID_DATA'],
      ['/v1/messages', { conversation: { type: 0, target: "'; DELETE FROM messages;--" }, content: text('x') }, 400, 'INVALID_DATA'],
    ];
    for (const [path, body, status, code] of refusals) {
      const reply = await api.call('POST', path, { body });
      assert.deepEqual([reply.status, reply.json.error.code], [status, code], `${path} ${JSON.stringify(body).slice(0, 120)}`);
    }

    assert.equal((await api.call('PUT', `/v1/users/${bob.userId}/status`, { body: { status: 1 } })).status, 200);
    const muted = await api.call('POST', '/v1/messages/private', { body: { from: bob.userId, to: alice.userId, content: text('muted') } });
    assert.deepEqual([muted.status, muted.json.error.code], [403, 'FORBIDDEN_SEND']);
    assert.equal((await api.call('PUT', `/v1/users/${bob.userId}/status`, { body: { status: 0 } })).status, 200);
  });

  test('FShareChat pushNotificationByMobile: a system message per mobile, unknown mobiles reported, RestResult shape', async () => {
    const carol = await person();
    const dave = await person();
    const c = await online(carol, 'ws');
    const d = await online(dave, 'tcp');
    const body = {
      mobiles: [carol.mobile, dave.mobile, '13600009999', 'not-a-mobile', carol.mobile],
      content: {
        content: { type: 3, searchableContent: '[image]', binaryContent: 'AAECAw==', content: 'cover', mediaType: 1, remoteMediaUrl: 'https://cdn.example/a.png' },
        messageId: 123,
        timestamp: 1700000000000,
      },
    };
    const reply = await api.call('POST', '/imopenapi/pushNotificationByMobile', { body });
    assert.equal(reply.status, 200);
    assert.deepEqual([reply.json.code, reply.json.message], [0, 'success']);
    const result = reply.json.result;
    assert.deepEqual(Object.keys(result), [carol.mobile, dave.mobile, '13600009999', 'not-a-mobile']);
    assert.deepEqual([result[carol.mobile].code, result[carol.mobile].userId], [0, carol.userId]);
    assert.deepEqual([result[dave.mobile].code, result[dave.mobile].userId], [0, dave.userId]);
    assert.deepEqual(result['13600009999'], { code: 253, message: 'no user has this mobile' });
    assert.equal(result['not-a-mobile'].code, 2);

    for (const [side, who] of [[c, carol], [d, dave]] as const) {
      await side.device.waitForNotify();
      const [got] = await received(side.device, side.cursor);
      assert.equal(got?.messageId, result[who.mobile].messageId);
      assert.deepEqual(
        [got?.from, got?.content.type, got?.content.searchableContent, got?.content.binaryContent, got?.content.content, got?.content.mediaType, got?.content.remoteMediaUrl],
        ['system', 3, '[image]', 'AAECAw==', 'cover', 1, 'https://cdn.example/a.png'],
      );
    }

    const unauthenticated = await api.call('POST', '/imopenapi/pushNotificationByMobile', { body, credential: null });
    assert.deepEqual([unauthenticated.status, unauthenticated.json.error.code], [401, 'UNAUTHENTICATED']);
    for (const bad of [{ mobiles: 'x', content: body.content }, { mobiles: [carol.mobile], content: { content: { type: 9 } } }, { mobiles: [], content: body.content }, { mobiles: [carol.mobile] }]) {
      const refused = await api.call('POST', '/imopenapi/pushNotificationByMobile', { body: bad });
      assert.deepEqual([refused.status, refused.json.code], [200, 2], JSON.stringify(bad));
    }
    const legacyInfo = await api.call('POST', '/admin/user/get_info', { body: { mobile: '13600009999' } });
    assert.deepEqual([legacyInfo.status, legacyInfo.json.code], [200, 253]);
  });

  test('groups: create, info, members, add, kick, dismiss, acting as the owner or an operator', async () => {
    const owner = await person();
    const member = await person();
    const newcomer = await person();
    const m = await online(member, 'ws');

    const created = await api.call('POST', '/v1/groups', { body: { owner: owner.userId, name: 'Ops', members: [member.userId] } });
    assert.equal(created.status, 200);
    const gid = created.json.result.gid;
    assert.deepEqual([created.json.result.owner, created.json.result.memberCount], [owner.userId, 2]);
    assert.equal((await api.call('GET', `/v1/groups/${gid}`)).json.result.name, 'Ops');
    const members = await api.call('GET', `/v1/groups/${gid}/members`);
    assert.deepEqual(members.json.result.map((x: { uid: string; type: number }) => [x.uid, x.type]).sort(), [[owner.userId, 2], [member.userId, 0]].sort());

    await received(m.device, m.cursor);
    const added = await api.call('POST', `/v1/groups/${gid}/members`, { body: { members: [newcomer.userId] } });
    assert.equal(added.status, 200);
    assert.equal(added.json.result.memberCount, 3);
    await m.device.waitForNotify();
    assert.ok((await received(m.device, m.cursor)).some((x) => x.content.type === 105), 'members see the add notice');

    const byMember = await api.call('POST', `/v1/groups/${gid}/members/kick`, { body: { members: [newcomer.userId], operator: member.userId } });
    assert.deepEqual([byMember.status, byMember.json.error.code], [403, 'NO_RIGHT']);
    const byStranger = await api.call('POST', `/v1/groups/${gid}/members/kick`, { body: { members: [newcomer.userId], operator: 'system' } });
    assert.deepEqual([byStranger.status, byStranger.json.error.code], [403, 'NOT_IN_GROUP']);
    const kicked = await api.call('POST', `/v1/groups/${gid}/members/kick`, { body: { members: [newcomer.userId] } });
    assert.equal(kicked.json.result.memberCount, 2);

    const notOwner = await api.call('DELETE', `/v1/groups/${gid}?operator=${member.userId}`);
    assert.deepEqual([notOwner.status, notOwner.json.error.code], [403, 'NO_RIGHT']);
    assert.equal((await api.call('DELETE', `/v1/groups/${gid}?operator=bad%20id`)).status, 400);
    const dismissed = await api.call('DELETE', `/v1/groups/${gid}`);
    assert.deepEqual(dismissed.json.result, { gid, dismissed: true });
    assert.equal((await api.call('GET', `/v1/groups/${gid}`)).status, 404, 'a dismissed group does not exist');

    for (const [method, path, body] of [
      ['GET', '/v1/groups/no-such-group'],
      ['GET', '/v1/groups/no-such-group/members'],
      ['POST', '/v1/groups/no-such-group/members', { members: [member.userId] }],
      ['POST', '/v1/groups/no-such-group/members/kick', { members: [member.userId] }],
      ['DELETE', '/v1/groups/no-such-group'],
      ['POST', '/v1/groups', { owner: 'nobody-at-all', name: 'x' }],
      ['POST', '/v1/groups', { owner: owner.userId, name: 'x', members: ['nobody-at-all'] }],
    ] as const) {
      const missing = await api.call(method, path, body === undefined ? {} : { body });
      assert.deepEqual([missing.status, missing.json.error.code], [404, 'NOT_EXIST'], `${method} ${path}`);
    }
    for (const body of [{ owner: owner.userId }, { owner: owner.userId, name: '' }, { owner: owner.userId, name: 'x', members: 'all' }]) {
      assert.equal((await api.call('POST', '/v1/groups', { body })).status, 400, JSON.stringify(body));
    }
  });

  test('friends: make friends directly, list, delete; blacklist refuses the blacklisted sender', async () => {
    const erin = await person();
    const frank = await person();
    const e = await online(erin, 'ws');

    const made = await api.call('PUT', `/v1/users/${erin.userId}/friends/${frank.userId}`);
    assert.deepEqual([made.status, made.json.result], [200, { uid: erin.userId, target: frank.userId, friends: true }]);
    await (e.device as WsImClient).waitForPush((p) => p.signal === Signal.PUBLISH && p.subSignal === SubSignal.FN);
    for (const [who, other] of [[erin, frank], [frank, erin]] as const) {
      const list = await api.call('GET', `/v1/users/${who.userId}/friends`);
      assert.deepEqual(list.json.result.map((f: { uid: string; state: number; blacklisted: boolean }) => [f.uid, f.state, f.blacklisted]), [[other.userId, 0, false]]);
    }
    assert.equal((await api.call('PUT', `/v1/users/${erin.userId}/friends/${frank.userId}`)).status, 200, 'again: no change');

    assert.equal((await api.call('DELETE', `/v1/users/${frank.userId}/friends/${erin.userId}`)).status, 200);
    assert.deepEqual((await api.call('GET', `/v1/users/${erin.userId}/friends`)).json.result, []);
    assert.equal((await api.call('DELETE', `/v1/users/${frank.userId}/friends/${erin.userId}`)).json.error.code, 'NOT_EXIST', 'not friends any more');

    assert.equal((await api.call('PUT', `/v1/users/${erin.userId}/blacklist/${frank.userId}`)).json.result.blacklisted, true);
    const listed = await api.call('GET', `/v1/users/${erin.userId}/friends`);
    assert.deepEqual(listed.json.result.map((f: { uid: string; blacklisted: boolean }) => [f.uid, f.blacklisted]), [[frank.userId, true]]);
    const blocked = await api.call('POST', '/v1/messages/private', { body: { from: frank.userId, to: erin.userId, content: text('hi?') } });
    assert.deepEqual([blocked.status, blocked.json.error.code], [403, 'BLACKLISTED']);
    assert.equal((await api.call('DELETE', `/v1/users/${erin.userId}/blacklist/${frank.userId}`)).json.result.blacklisted, false);
    assert.equal((await api.call('POST', '/v1/messages/private', { body: { from: frank.userId, to: erin.userId, content: text('hi!') } })).status, 200);

    for (const [method, path] of [
      ['GET', '/v1/users/nobody-at-all/friends'],
      ['PUT', `/v1/users/nobody-at-all/friends/${erin.userId}`],
      ['PUT', `/v1/users/${erin.userId}/friends/nobody-at-all`],
      ['DELETE', `/v1/users/nobody-at-all/friends/${erin.userId}`],
      ['PUT', `/v1/users/${erin.userId}/blacklist/nobody-at-all`],
      ['DELETE', `/v1/users/nobody-at-all/blacklist/${erin.userId}`],
    ] as const) {
      const missing = await api.call(method, path);
      assert.deepEqual([missing.status, missing.json.error.code], [404, 'NOT_EXIST'], `${method} ${path}`);
    }
    assert.equal((await api.call('PUT', `/v1/users/${erin.userId}/friends/${erin.userId}`)).status, 400, 'yourself');
    assert.equal((await api.call('PUT', `/v1/users/${erin.userId}/friends/a%27b`)).status, 400);
  });

  test('the tests above saw a wide range of documented codes', () => {
    const codes = new Set([...api.seen].map((s) => s.split(' ')[1]));
    for (const code of ['INVALID_DATA', 'INVALID_MOBILE', 'UNAUTHENTICATED', 'NOT_EXIST', 'NO_RIGHT', 'NOT_IN_GROUP', 'FORBIDDEN_SEND', 'BLACKLISTED']) {
      assert.ok(codes.has(code), `saw ${code}`);
    }
  });
});


describe('push-api rate limits (push.api.rate.limit=3 per 60 s)', () => {
  let t: TestServer;
  let api: OpenApiClient;

  before(async () => {
    t = await TestServer.start({ overrides: { 'push.api.rate.limit': 3, 'push.api.rate.window.seconds': 60 } });
    api = new OpenApiClient(t.apiUrl, t.server.adminSecret);
    // stay clear of a window edge so the whole test runs in one window
    const into = Date.now() % 60_000;
    if (into > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - into + 50));
  });
  after(() => t.stop());

  test('each key has its own budget; over it: 429 OVER_FREQUENCY with Retry-After; open routes are not counted', async () => {
    const key = (await api.call('POST', '/v1/apps', { body: { name: 'limited' } })).json.result.key as string;
    assert.equal((await api.call('GET', '/v1/apps')).status, 200);
    assert.equal((await api.call('GET', '/v1/users/system')).status, 200);
    const over = await api.call('GET', '/v1/users/system');
    assert.deepEqual([over.status, over.json.error.code], [429, 'OVER_FREQUENCY']);
    const retryAfter = Number(over.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal((await api.call('POST', '/imopenapi/pushNotificationByMobile', { body: {} })).status, 429, 'FShareChat paths are limited too');

    const app = api.withCredential(key);
    for (let i = 0; i < 3; i++) assert.equal((await app.call('GET', '/v1/users/system')).status, 200, `app request ${i + 1}`);
    assert.equal((await app.call('GET', '/v1/users/system')).status, 429);

    for (let i = 0; i < 5; i++) assert.equal((await api.call('GET', '/monitor/alive', { credential: null })).status, 200);
    assert.equal((await api.call('GET', '/v1/users/system', { credential: 'wrong' })).status, 401, 'authentication comes before the rate limit');
  });
});
