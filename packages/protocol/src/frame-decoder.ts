import { DEFAULT_MAX_BODY_BYTES, FRAME_HEADER_BYTES, FRAME_MAGIC } from './frame.ts';
import type { Frame } from './frame.ts';
import { ChunkQueue } from './chunk-queue.ts';
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
  readonly #queue = new ChunkQueue();
  #header: Header | undefined;
  #error: Error | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`maxBodyBytes must be a non-negative integer, got ${max}`);
    this.maxBodyBytes = max;
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.#queue.buffered;
  }

  get failed(): boolean {
    return this.#error !== undefined;
  }

  /** Frames completed by this chunk, in order. Frames before a bad header in the same chunk are dropped. */
  push(chunk: Uint8Array): Frame[] {
    if (this.#error) throw this.#error;
    this.#queue.push(chunk);
    const frames: Frame[] = [];
    try {
      for (;;) {
        if (this.#header === undefined) {
          if (this.#queue.buffered > 0 && this.#queue.peekByte() !== FRAME_MAGIC) {
            throw new ProtocolError('FRAME_BAD_MAGIC', `bad frame magic 0x${this.#queue.peekByte().toString(16)}`);
          }
          if (this.#queue.buffered < FRAME_HEADER_BYTES) break;
          this.#header = this.#parseHeader(this.#queue.take(FRAME_HEADER_BYTES));
        }
        if (this.#queue.buffered < this.#header.length) break;
        const { length, ...rest } = this.#header;
        this.#header = undefined;
        frames.push({ ...rest, body: this.#queue.take(length) });
      }
    } catch (err) {
      this.#error = err as Error;
      this.#queue.clear();
      throw this.#error;
    }
    this.#queue.compact();
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
}
