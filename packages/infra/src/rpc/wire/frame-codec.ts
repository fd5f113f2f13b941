import { FscError } from '@fscpush/core';

/**
 * Length-prefixed frames: a 4-byte unsigned big-endian body length, then the body. A peer announcing a
 * body larger than `maxFrameBytes` is a protocol violation (the connection is dropped); nothing is
 * buffered beyond one frame plus one read chunk.
 */

export const FRAME_HEADER_BYTES = 4;

export function encodeFrame(body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** Incremental decoder: push() socket chunks, get back every complete frame body. */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private buffered: Buffer = Buffer.alloc(0);

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Throws INVALID_DATA when a frame header announces more than maxFrameBytes. */
  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const bodies: Buffer[] = [];
    let offset = 0;
    while (this.buffered.length - offset >= FRAME_HEADER_BYTES) {
      const length = this.buffered.readUInt32BE(offset);
      if (length > this.maxFrameBytes) {
        throw new FscError('INVALID_DATA', `frame of ${length} bytes exceeds the ${this.maxFrameBytes}-byte limit`);
      }
      const end = offset + FRAME_HEADER_BYTES + length;
      if (this.buffered.length < end) break;
      bodies.push(this.buffered.subarray(offset + FRAME_HEADER_BYTES, end));
      offset = end;
    }
    this.buffered = offset === this.buffered.length ? Buffer.alloc(0) : this.buffered.subarray(offset);
    return bodies;
  }
}
