import { ChunkQueue } from '../chunk-queue.ts';
import { ProtocolError } from '../protocol-error.ts';

/**
 * The frames between fscpush services (push-connector and push-api calling push-group): a 4-byte unsigned
 * big-endian body length, then the body (one JSON message, rpc-messages.ts). Not the client frame
 * (frame.ts): that one is FShareChat's, with its magic, signal and message id; both read through ChunkQueue.
 */
export const RPC_FRAME_HEADER_BYTES = 4;

export function encodeRpcFrame(body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(RPC_FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, RPC_FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Incremental decoder: push() socket chunks, get back every complete body. A header announcing more than
 * `maxFrameBytes` throws RPC_FRAME_TOO_LARGE before the body is buffered; the connection must then close.
 */
export class RpcFrameDecoder {
  readonly #maxFrameBytes: number;
  readonly #queue = new ChunkQueue();
  #length: number | undefined;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  push(chunk: Uint8Array): Buffer[] {
    this.#queue.push(chunk);
    const bodies: Buffer[] = [];
    for (;;) {
      if (this.#length === undefined) {
        if (this.#queue.buffered < RPC_FRAME_HEADER_BYTES) break;
        const length = this.#queue.take(RPC_FRAME_HEADER_BYTES).readUInt32BE(0);
        if (length > this.#maxFrameBytes) {
          this.#queue.clear();
          throw new ProtocolError('RPC_FRAME_TOO_LARGE', `frame of ${length} bytes exceeds the ${this.#maxFrameBytes}-byte limit`);
        }
        this.#length = length;
      }
      if (this.#queue.buffered < this.#length) break;
      bodies.push(this.#queue.take(this.#length));
      this.#length = undefined;
    }
    this.#queue.compact();
    return bodies;
  }
}
