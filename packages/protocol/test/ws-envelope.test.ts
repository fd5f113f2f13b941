import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ProtocolError, Signal, SubSignal, WS_HEARTBEAT_TEXT, assertWsTextSize, buildWsClientEnvelope, buildWsEnvelope,
  isWsHeartbeat, parseWsEnvelope, parseWsServerEnvelope,
} from '../src/index.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, String(err));
    return err.code;
  }
  return 'no error';
}

test('the web client CONNECT frame (content object)', () => {
  const text = '{"signal":"CONNECT","subSignal":"NONE","messageId":0,"content":{"userName":"u1","password":"cA==","clientIdentifier":"d-1"}}';
  assert.deepEqual(parseWsEnvelope(text), {
    signal: Signal.CONNECT, subSignal: SubSignal.NONE, messageId: 0,
    content: { userName: 'u1', password: 'cA==', clientIdentifier: 'd-1' },
  });
});

test('PUBLISH with array content, and the logout DISCONNECT', () => {
  assert.deepEqual(parseWsEnvelope('{"signal":"PUBLISH","subSignal":"UPUI","messageId":65535,"content":["a","b"]}'),
    { signal: 9, subSignal: 11, messageId: 65535, content: ['a', 'b'] });
  assert.deepEqual(parseWsEnvelope('{"signal":"DISCONNECT","subSignal":"NONE","messageId":0,"content":{"clearSession":1}}').content,
    { clearSession: 1 });
});

test('content may be a string holding JSON; empty or absent content is null', () => {
  assert.deepEqual(parseWsEnvelope('{"signal":"PUBLISH","subSignal":"FP","messageId":3,"content":"{\\"version\\":0}"}').content, { version: 0 });
  assert.equal(parseWsEnvelope('{"signal":"PUBLISH","subSignal":"FP","messageId":3,"content":""}').content, null);
  assert.deepEqual(parseWsEnvelope('{"signal":"PING"}'), { signal: Signal.PING, subSignal: 0, messageId: 0, content: null });
});

test('integers beyond 2^53 keep their digits as strings', () => {
  const parsed = parseWsEnvelope('{"signal":"PUBLISH","subSignal":"MR","messageId":4,"content":{"messageUid":580000000000000123,"n":5,"f":1.5}}');
  assert.deepEqual(parsed.content, { messageUid: '580000000000000123', n: 5, f: 1.5 });
});

test('bad envelopes are WS_BAD_ENVELOPE', () => {
  const bad = [
    'not json',
    '',
    '[]',
    '"PUBLISH"',
    '{"subSignal":"MS","messageId":1,"content":{}}',
    '{"signal":"PUBLISHX","subSignal":"MS","messageId":1,"content":{}}',
    '{"signal":9,"subSignal":"MS","messageId":1,"content":{}}',
    '{"signal":"PUBLISH","subSignal":"XX","messageId":1,"content":{}}',
    '{"signal":"PUBLISH","subSignal":18,"messageId":1,"content":{}}',
    '{"signal":"PUBLISH","subSignal":"MS","messageId":"1","content":{}}',
    '{"signal":"PUBLISH","subSignal":"MS","messageId":1.5,"content":{}}',
    '{"signal":"PUBLISH","subSignal":"MS","messageId":-1,"content":{}}',
    '{"signal":"PUBLISH","subSignal":"MS","messageId":1,"content":5}',
    '{"signal":"PUBLISH","subSignal":"MS","messageId":1,"content":true}',
    '{"signal":"PUBLISH","subSignal":"MS","messageId":1,"content":"{broken"}',
    '{"signal":"PUBLISH","subSignal":"MS","messageId":1,"content":"\\"text\\""}',
    '{"signal":"toString","messageId":1}',
  ];
  for (const text of bad) assert.equal(code(() => parseWsEnvelope(text)), 'WS_BAD_ENVELOPE', text);
});

test('heartbeat text', () => {
  assert.equal(WS_HEARTBEAT_TEXT, '心跳内容');
  assert.equal(isWsHeartbeat('心跳内容'), true);
  assert.equal(isWsHeartbeat(' 心跳内容\n'), true);
  assert.equal(isWsHeartbeat('{"signal":"PING"}'), false);
  assert.equal(code(() => parseWsEnvelope('心跳内容')), 'WS_BAD_ENVELOPE');
});

test('outbound content is always a string and messageId is echoed as a number', () => {
  assert.equal(buildWsEnvelope({ signal: Signal.PUB_ACK, subSignal: SubSignal.MS, messageId: 81, content: { messageId: 580000000000000123n, timestamp: 1 } }),
    '{"signal":"PUB_ACK","subSignal":"MS","messageId":81,"content":"{\\"messageId\\":\\"580000000000000123\\",\\"timestamp\\":1}"}');
  assert.equal(buildWsEnvelope({ signal: 'PUB_ACK', subSignal: 'FP', messageId: 2, content: [] }),
    '{"signal":"PUB_ACK","subSignal":"FP","messageId":2,"content":"[]"}');
  assert.equal(buildWsEnvelope({ signal: 'CONNECT_ACK', subSignal: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD' }),
    '{"signal":"CONNECT_ACK","subSignal":"CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD","messageId":0,"content":""}');
  assert.equal(buildWsEnvelope({ signal: 'PUB_ACK', subSignal: 'MS', messageId: 3, content: '{"a":1}' }),
    '{"signal":"PUB_ACK","subSignal":"MS","messageId":3,"content":"{\\"a\\":1}"}');
  assert.throws(() => buildWsEnvelope({ signal: 'NOPE' as never }), RangeError);
  assert.throws(() => buildWsEnvelope({ signal: 'PUB_ACK', messageId: 1.5 }), RangeError);
});

test('server envelopes parse back on the client side', () => {
  const text = buildWsEnvelope({ signal: 'PUBLISH', subSignal: 'MN', content: { messageHead: '12', type: 0 } });
  assert.deepEqual(parseWsServerEnvelope(text), { signal: 9, subSignal: 17, messageId: 0, content: '{"messageHead":"12","type":0}' });
  assert.equal(code(() => parseWsServerEnvelope('{"signal":"PUB_ACK","subSignal":"MS","messageId":1,"content":{}}')), 'WS_BAD_ENVELOPE');
  const client = buildWsClientEnvelope({ signal: 'PUBLISH', subSignal: 'MP', messageId: 5, content: { messageId: '0', type: 0 } });
  assert.equal(client, '{"signal":"PUBLISH","subSignal":"MP","messageId":5,"content":{"messageId":"0","type":0}}');
  assert.deepEqual(parseWsEnvelope(client).content, { messageId: '0', type: 0 });
});

test('text size helper', () => {
  assertWsTextSize('abc', 3);
  assert.equal(code(() => assertWsTextSize('心', 2)), 'WS_TOO_LARGE');
  assert.equal(code(() => assertWsTextSize(Buffer.alloc(5), 4)), 'WS_TOO_LARGE');
});
