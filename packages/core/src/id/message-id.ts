/**
 * 63-bit message ids: 41 bits of milliseconds since 2018-01-01 (until 2087), 10 bits of node id (0–1023),
 * 12 bits of sequence (4096 ids per ms per node).
 *
 * The generator never goes backwards: when the wall clock steps back it keeps issuing from its last
 * timestamp, and when a millisecond's sequence is used up it borrows the next millisecond instead of
 * spinning. Ids stay unique per node and strictly increasing within one process.
 */
export const ID_EPOCH_MS = Date.UTC(2018, 0, 1);
export const MAX_NODE_ID = 1023;
const NODE_BITS = 10n;
const SEQ_BITS = 12n;
const MAX_SEQ = (1 << Number(SEQ_BITS)) - 1;

export class MessageIdGenerator {
  readonly nodeId: number;
  private readonly nodePart: bigint;
  private readonly clock: () => number;
  private lastMs = -1;
  private seq = 0;

  constructor(nodeId: number, clock: () => number = Date.now) {
    if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new RangeError(`node id must be an integer in 0..${MAX_NODE_ID}, got ${nodeId}`);
    }
    this.nodeId = nodeId;
    this.nodePart = BigInt(nodeId) << SEQ_BITS;
    this.clock = clock;
  }

  next(): bigint {
    const now = this.clock() - ID_EPOCH_MS;
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else if (this.seq < MAX_SEQ) {
      this.seq += 1;
    } else {
      this.lastMs += 1;
      this.seq = 0;
    }
    return (BigInt(this.lastMs) << (NODE_BITS + SEQ_BITS)) | this.nodePart | BigInt(this.seq);
  }

  nextString(): string {
    return this.next().toString();
  }
}

export function timestampOfId(id: bigint | string): number {
  return Number(BigInt(id) >> (NODE_BITS + SEQ_BITS)) + ID_EPOCH_MS;
}

export function nodeOfId(id: bigint | string): number {
  return Number((BigInt(id) >> SEQ_BITS) & BigInt(MAX_NODE_ID));
}
