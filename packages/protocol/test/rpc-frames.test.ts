import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RpcFrameDecoder, decodeRpcMessage, encodeRpcCall, encodeRpcFrame, encodeRpcMessage, isProtocolError } from '../src/index.ts';

// The frames and messages between fscpush services (push-connector, push-api → push-group).

test('frames: split and coalesced chunks decode to the same bodies; an oversized header is RPC_FRAME_TOO_LARGE', () => {
  const bodies = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('x'.repeat(300))];
  const stream = Buffer.concat(bodies.map(encodeRpcFrame));
  for (const step of [1, 3, 7, stream.length]) {
    const decoder = new RpcFrameDecoder(1000);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += step) out.push(...decoder.push(stream.subarray(i, i + step)));
    assert.deepEqual(out.map(String), bodies.map(String), `step ${step}`);
  }
  const decoder = new RpcFrameDecoder(10);
  assert.throws(() => decoder.push(encodeRpcFrame(Buffer.alloc(11))), (err: unknown) => isProtocolError(err, 'RPC_FRAME_TOO_LARGE'));
  // A 4 MiB frame in 1 KiB chunks is joined once, not re-copied per chunk.
  const big = encodeRpcFrame(Buffer.alloc(4 << 20, 7));
  const large = new RpcFrameDecoder(4 << 20);
  const started = performance.now();
  const got: Buffer[] = [];
  for (let i = 0; i < big.length; i += 1024) got.push(...large.push(big.subarray(i, i + 1024)));
  assert.equal(got.length, 1);
  assert.equal(got[0]?.length, 4 << 20);
  assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
});

test('messages: calls from pre-serialised args, replies round-trip, malformed ones are RPC_BAD_MESSAGE', () => {
  const call = decodeRpcMessage(encodeRpcCall(7, 'svc', 'send', JSON.stringify([{ uid: 'u1' }, 2, null])));
  assert.deepEqual(call, { k: 'call', id: 7, s: 'svc', m: 'send', a: [{ uid: 'u1' }, 2, null] });
  assert.deepEqual(decodeRpcMessage(encodeRpcMessage({ k: 'err', id: 1, e: { code: 'NOT_EXIST', message: 'm' }, rejected: true })), {
    k: 'err',
    id: 1,
    e: { code: 'NOT_EXIST', message: 'm' },
    rejected: true,
  });
  for (const bad of ['nope', '42', '{"k":"call","id":1}', '{"k":"ok"}', '{"k":"err","id":1,"e":{}}', '{"k":"what","id":1}']) {
    assert.throws(() => decodeRpcMessage(Buffer.from(bad)), (err: unknown) => isProtocolError(err, 'RPC_BAD_MESSAGE'), bad);
  }
});
