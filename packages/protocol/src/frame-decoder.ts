import { DEFAULT_MAX_BODY_BYTES, FRAME_HEADER_BYTES, FRAME_MAGIC } from './frame.ts';
import type { Frame } from './frame.ts';
import { ProtocolError } from './protocol-error.ts';
import { Signal, isSignal } from './signals.ts';

export interface FrameDecoderOptions {
  /** Largest accepted body; larger declared lengths fail before the body arrives. */
  maxBodyBytes?: number;
}

type Header = Omit<Frame, 'body'> & { length: number };

/**
 * Incremental TCP frame parser. Chunks are queued, never concatenated: a body inside one chunk is a
 * zero-copy slice, a body split across chunks is copied once. After any error every later push
 * rethrows it: the connection has lost framing and must be closed.
 */
export class FrameDecoder {
  readonly maxBodyBytes: number;
  #chunks: Buffer[] = [];
  #head = 0;
  #offset = 0;
  #buffered = 0;
  #header: Header | undefined;
  #error: Error | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`maxBodyBytes must be a non-negative integer, got ${max}`);
    this.maxBodyBytes = max;
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  get failed(): boolean {
    return this.#error !== undefined;
  }

  /** Frames completed by this chunk, in order. Frames before a bad header in the same chunk are dropped. */
  push(chunk: Uint8Array): Frame[] {
    if (this.#error) throw this.#error;
    if (chunk.byteLength > 0) {
      this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.#buffered += chunk.byteLength;
    }
    const frames: Frame[] = [];
    try {
      for (;;) {
        if (this.#header === undefined) {
          if (this.#buffered > 0 && this.#peekFirstByte() !== FRAME_MAGIC) {
            throw new ProtocolError('FRAME_BAD_MAGIC', `bad frame magic 0x${this.#peekFirstByte().toString(16)}`);
          }
          if (this.#buffered < FRAME_HEADER_BYTES) break;
          this.#header = this.#parseHeader(this.#take(FRAME_HEADER_BYTES));
        }
        if (this.#buffered < this.#header.length) break;
        const { length, ...rest } = this.#header;
        this.#header = undefined;
        frames.push({ ...rest, body: this.#take(length) });
      }
    } catch (err) {
      this.#error = err as Error;
      this.#chunks = [];
      this.#head = 0;
      this.#offset = 0;
      this.#buffered = 0;
      throw this.#error;
    }
    this.#compact();
    return frames;
  }

  #parseHeader(bytes: Buffer): Header {
    const signal = bytes[2]! & 0x7f;
    const length = bytes.readInt32BE(3);
    if (signal === Signal.NONE || !isSignal(signal)) {
      throw new ProtocolError('FRAME_BAD_SIGNAL', `bad frame signal ${signal}`);
    }
    if (length < 0) throw new ProtocolError('FRAME_BAD_LENGTH', `negative frame length ${length}`);
    if (length > this.maxBodyBytes) {
      throw new ProtocolError('FRAME_TOO_LARGE', `frame body of ${length} bytes exceeds ${this.maxBodyBytes}`);
    }
    return { signal, version: bytes[1]!, length, subSignal: bytes[7]! & 0x7f, messageId: bytes.readUInt16BE(8) };
  }

  #peekFirstByte(): number {
    return this.#chunks[this.#head]![this.#offset]!;
  }

  /** Removes n buffered bytes (n <= buffered): a slice when they sit in one chunk, else one copy. */
  #take(n: number): Buffer {
    this.#buffered -= n;
    if (n === 0) return Buffer.alloc(0);
    const first = this.#chunks[this.#head]!;
    if (first.byteLength - this.#offset >= n) {
      const out = first.subarray(this.#offset, this.#offset + n);
      this.#advance(first, n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let written = 0;
    while (written < n) {
      const chunk = this.#chunks[this.#head]!;
      const count = Math.min(chunk.byteLength - this.#offset, n - written);
      chunk.copy(out, written, this.#offset, this.#offset + count);
      written += count;
      this.#advance(chunk, count);
    }
    return out;
  }

  #advance(chunk: Buffer, n: number): void {
    this.#offset += n;
    if (this.#offset === chunk.byteLength) {
      this.#head += 1;
      this.#offset = 0;
    }
  }

  #compact(): void {
    if (this.#head === 0) return;
    this.#chunks.splice(0, this.#head);
    this.#head = 0;
  }
}
