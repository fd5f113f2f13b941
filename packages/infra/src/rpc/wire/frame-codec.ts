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

/**
 * Incremental decoder: push() socket chunks, get back every complete frame body. Chunks of a frame still
 * incomplete are only collected (joined once the frame is whole), so a large frame costs O(size).
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes needed before anything new can be decoded. */
  private need = FRAME_HEADER_BYTES;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Throws INVALID_DATA when a frame header announces more than maxFrameBytes. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.need) return [];
    const buffer = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    const bodies: Buffer[] = [];
    let offset = 0;
    this.need = FRAME_HEADER_BYTES;
    while (buffer.length - offset >= FRAME_HEADER_BYTES) {
      const length = buffer.readUInt32BE(offset);
      if (length > this.maxFrameBytes) {
        throw new FscError('INVALID_DATA', `frame of ${length} bytes exceeds the ${this.maxFrameBytes}-byte limit`);
      }
      const end = offset + FRAME_HEADER_BYTES + length;
      if (buffer.length < end) {
        this.need = FRAME_HEADER_BYTES + length;
        break;
      }
      bodies.push(buffer.subarray(offset + FRAME_HEADER_BYTES, end));
      offset = end;
    }
    const rest = buffer.subarray(offset);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return bodies;
  }
}
