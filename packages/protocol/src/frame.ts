import type { Signal } from './signals.ts';

/**
 * TCP frame: 10-byte big-endian header then `length` body bytes.
 *   0 magic 0xf8 | 1 version | 2 signal (low 7 bits) | 3-6 int32 length | 7 subSignal (low 7 bits) | 8-9 uint16 messageId
 */
export const FRAME_HEADER_BYTES = 10;
export const FRAME_MAGIC = 0xf8;
export const FRAME_VERSION = 2;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const MAX_MESSAGE_ID = 0xffff;

export interface Frame {
  signal: Signal;
  /** Ordinal as sent; may be above the known SubSignal range. */
  subSignal: number;
  messageId: number;
  version: number;
  body: Buffer;
}

export interface FrameInit {
  /** 0..127; encodeFrame does not reject NONE or unknown values so tests can build bad frames. */
  signal: number;
  subSignal: number;
  messageId: number;
  /** One buffer, or parts written back to back (saves a concat for PUB_ACK = code byte + payload). */
  body?: Uint8Array | readonly Uint8Array[];
  version?: number;
}

/** Header and body in one allocation. Throws RangeError on values that do not fit their header field. */
export function encodeFrame(init: FrameInit): Buffer {
  checkRange('signal', init.signal, 0x7f);
  checkRange('subSignal', init.subSignal, 0x7f);
  checkRange('messageId', init.messageId, MAX_MESSAGE_ID);
  const version = init.version ?? FRAME_VERSION;
  checkRange('version', version, 0xff);
  const parts = init.body === undefined ? [] : init.body instanceof Uint8Array ? [init.body] : init.body;
  let length = 0;
  for (const part of parts) length += part.byteLength;
  if (length > 0x7fffffff) throw new RangeError(`frame body of ${length} bytes does not fit an int32`);

  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  out[0] = FRAME_MAGIC;
  out[1] = version;
  out[2] = init.signal;
  out.writeInt32BE(length, 3);
  out[7] = init.subSignal;
  out.writeUInt16BE(init.messageId, 8);
  let offset = FRAME_HEADER_BYTES;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function checkRange(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`frame ${field} must be an integer in 0..${max}, got ${value}`);
  }
}
