import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameDecoder, ProtocolError, Signal, SubSignal, encodeFrame } from '../src/index.ts';
import type { Frame } from '../src/index.ts';

test('encodeFrame writes the 10-byte big-endian header', () => {
  const frame = encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal.MS, messageId: 0x1234, body: Buffer.from('abc') });
  assert.equal(frame.toString('hex'), 'f8' + '02' + '09' + '00000003' + '12' + '1234' + '616263');
});

test('encodeFrame joins body parts in one allocation', () => {
  const frame = encodeFrame({ signal: Signal.PUB_ACK, subSignal: SubSignal.MP, messageId: 65535, body: [Uint8Array.of(0), Uint8Array.of(7, 8)] });
  assert.equal(frame.toString('hex'), 'f8020a00000003' + '13' + 'ffff' + '000708');
  assert.equal(encodeFrame({ signal: Signal.PING, subSignal: 0, messageId: 0 }).length, 10);
});

test('encodeFrame rejects values that do not fit', () => {
  assert.throws(() => encodeFrame({ signal: 128, subSignal: 0, messageId: 0 }), RangeError);
  assert.throws(() => encodeFrame({ signal: 9, subSignal: 0, messageId: 65536 }), RangeError);
  assert.throws(() => encodeFrame({ signal: 9, subSignal: -1, messageId: 0 }), RangeError);
});

function sample(i: number): Buffer {
  return encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal.MP, messageId: i % 65536, body: Buffer.from(`body-${i}`) });
}

function summary(frames: Frame[]): string[] {
  return frames.map((f) => `${f.signal}/${f.subSignal}/${f.messageId}/${f.body.toString()}`);
}

test('decoder handles frames fed one byte at a time', () => {
  const bytes = Buffer.concat([sample(1), encodeFrame({ signal: Signal.PING, subSignal: 0, messageId: 2 }), sample(3)]);
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  for (const byte of bytes) frames.push(...decoder.push(Buffer.of(byte)));
  assert.deepEqual(summary(frames), ['9/19/1/body-1', '3/0/2/', '9/19/3/body-3']);
  assert.equal(decoder.bufferedBytes, 0);
});

test('decoder splits 1000 frames from one chunk, bodies as zero-copy slices', () => {
  const frames = Array.from({ length: 1000 }, (_, i) => sample(i));
  const chunk = Buffer.concat(frames);
  const decoded = new FrameDecoder().push(chunk);
  assert.equal(decoded.length, 1000);
  assert.deepEqual(summary(decoded), frames.map((_, i) => `9/19/${i}/body-${i}`));
  assert.equal(decoded[999]!.body.buffer, chunk.buffer);
});

test('decoder handles every split point of a two-frame stream', () => {
  const bytes = Buffer.concat([sample(7), sample(8)]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoder = new FrameDecoder();
    const frames = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
    assert.deepEqual(summary(frames), ['9/19/7/body-7', '9/19/8/body-8'], `cut at ${cut}`);
  }
});

test('decoder masks signal and subSignal to 7 bits and keeps the version', () => {
  const bytes = encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal.MS, messageId: 1 });
  bytes[2] = 0x80 | Signal.PUBLISH;
  bytes[7] = 0x80 | SubSignal.MS;
  bytes[1] = 3;
  const [frame] = new FrameDecoder().push(bytes);
  assert.deepEqual({ ...frame, body: frame!.body.length }, { signal: 9, subSignal: 18, messageId: 1, version: 3, body: 0 });
});

function decodeError(bytes: Buffer, maxBodyBytes?: number): ProtocolError {
  const decoder = new FrameDecoder(maxBodyBytes === undefined ? {} : { maxBodyBytes });
  try {
    decoder.push(bytes);
  } catch (err) {
    assert.ok(err instanceof ProtocolError);
    assert.equal(decoder.failed, true);
    assert.throws(() => decoder.push(sample(1)), (again) => again === err, 'decoder stays unusable');
    return err;
  }
  assert.fail('expected a ProtocolError');
}

test('bad magic fails on the first byte', () => {
  assert.equal(decodeError(Buffer.of(0x16)).code, 'FRAME_BAD_MAGIC');
  const bytes = sample(1);
  bytes[0] = 0xf7;
  assert.equal(decodeError(bytes).code, 'FRAME_BAD_MAGIC');
  assert.equal(decodeError(Buffer.concat([sample(1), Buffer.from('GET / HTTP/1.1\r\n')])).code, 'FRAME_BAD_MAGIC');
});

test('negative length', () => {
  const bytes = sample(1);
  bytes.writeInt32BE(-1, 3);
  assert.equal(decodeError(bytes).code, 'FRAME_BAD_LENGTH');
});

test('oversize length fails from the header alone', () => {
  const header = encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal.MS, messageId: 1 });
  header.writeInt32BE(1048577, 3);
  assert.equal(decodeError(header).code, 'FRAME_TOO_LARGE');
  const small = sample(1);
  assert.equal(decodeError(small, 3).code, 'FRAME_TOO_LARGE');
  assert.equal(new FrameDecoder({ maxBodyBytes: 6 }).push(small).length, 1);
});

test('signal NONE or out of range', () => {
  const none = sample(1);
  none[2] = 0;
  assert.equal(decodeError(none).code, 'FRAME_BAD_SIGNAL');
  const unknown = sample(1);
  unknown[2] = 11;
  assert.equal(decodeError(unknown).code, 'FRAME_BAD_SIGNAL');
});

test('a 1 MiB body split into many chunks is reassembled', () => {
  const body = Buffer.alloc(1048576, 7);
  const bytes = encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal.MS, messageId: 9, body });
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  for (let i = 0; i < bytes.length; i += 1000) frames.push(...decoder.push(bytes.subarray(i, i + 1000)));
  assert.equal(frames.length, 1);
  assert.ok(frames[0]!.body.equals(body));
});
