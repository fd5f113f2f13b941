import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ErrorCode, ProtocolError, decodeConnectBody, decodeDisconnectBody, decodeInt64BE, decodePingBody,
  decodeSendMessageAck, encodeConnectBody, encodeDisconnectBody, encodeInt64BE, encodePingBody,
  encodeSendMessageAck, pingBackText, pubAckParts, splitPubAck,
} from '../src/index.ts';

test('CONNECT body is the JSON triple', () => {
  const body = encodeConnectBody({ userName: 'u1', password: 'p', clientIdentifier: 'c' });
  assert.equal(body.toString(), '{"userName":"u1","password":"p","clientIdentifier":"c"}');
  assert.deepEqual(decodeConnectBody(body), { userName: 'u1', password: 'p', clientIdentifier: 'c' });
  for (const bad of ['', 'x', '[]', '{"userName":"u1","password":"p"}', '{"userName":1,"password":"p","clientIdentifier":"c"}']) {
    assert.throws(() => decodeConnectBody(Buffer.from(bad)), (err) => err instanceof ProtocolError && err.code === 'BODY_INVALID', bad);
  }
});

test('PING body and echo', () => {
  assert.equal(encodePingBody(120000).toString(), '{"interval":120000}');
  assert.equal(decodePingBody(encodePingBody(120000)), 120000);
  assert.equal(decodePingBody(Buffer.from('{"interval":"300000"}')), 300000);
  assert.equal(decodePingBody(Buffer.alloc(0)), undefined);
  assert.equal(decodePingBody(Buffer.from('{"interval":-5}')), undefined);
  assert.equal(pingBackText(120000), 'ping back next interval 120000');
});

test('DISCONNECT body is one clearSession byte', () => {
  assert.deepEqual([...encodeDisconnectBody(true)], [1]);
  assert.equal(decodeDisconnectBody(encodeDisconnectBody(false)), false);
  assert.equal(decodeDisconnectBody(Buffer.of(1)), true);
  assert.equal(decodeDisconnectBody(Buffer.alloc(0)), false);
});

test('PUB_ACK body: error byte then result', () => {
  assert.deepEqual(pubAckParts(ErrorCode.NOT_EXIST).map((p) => [...p]), [[253]]);
  assert.deepEqual(pubAckParts(0, Buffer.of(1, 2)).map((p) => [...p]), [[0], [1, 2]]);
  const { errorCode, payload } = splitPubAck(Buffer.of(0, 9, 8));
  assert.equal(errorCode, 0);
  assert.deepEqual([...payload], [9, 8]);
  assert.throws(() => splitPubAck(Buffer.alloc(0)), ProtocolError);
  assert.throws(() => pubAckParts(256), RangeError);
});

test('MS ack carries two big-endian int64', () => {
  const payload = encodeSendMessageAck('580000000000000123', 1700000000000);
  assert.equal(payload.toString('hex'), '080c92ed51ba007b' + '0000018bcfe56800');
  assert.deepEqual(decodeSendMessageAck(payload), { messageId: '580000000000000123', timestamp: '1700000000000' });
  assert.throws(() => decodeSendMessageAck(Buffer.alloc(15)), ProtocolError);
});

test('FRN/FN long body', () => {
  assert.equal(encodeInt64BE(258n).toString('hex'), '0000000000000102');
  assert.equal(decodeInt64BE(Buffer.from('ffffffffffffffff', 'hex')), '-1');
  assert.throws(() => decodeInt64BE(Buffer.alloc(4)), ProtocolError);
});
