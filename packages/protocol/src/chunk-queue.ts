/**
 * The bytes a stream decoder has received and not yet consumed, kept as the chunks they came in: a run
 * inside one chunk is taken as a zero-copy slice, a run across chunks is copied once (a large frame
 * arriving in many small reads costs O(size), not O(size × reads)).
 */
export class ChunkQueue {
  #chunks: Buffer[] = [];
  #head = 0;
  #offset = 0;
  #buffered = 0;

  get buffered(): number {
    return this.#buffered;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#buffered += chunk.byteLength;
  }

  /** The next byte (buffered > 0). */
  peekByte(): number {
    return this.#chunks[this.#head]![this.#offset]!;
  }

  /** Removes n buffered bytes (n <= buffered). */
  take(n: number): Buffer {
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

  /** Drops consumed chunks (call after a round of takes). */
  compact(): void {
    if (this.#head === 0) return;
    this.#chunks.splice(0, this.#head);
    this.#head = 0;
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#offset = 0;
    this.#buffered = 0;
  }

  #advance(chunk: Buffer, n: number): void {
    this.#offset += n;
    if (this.#offset === chunk.byteLength) {
      this.#head += 1;
      this.#offset = 0;
    }
  }
}
