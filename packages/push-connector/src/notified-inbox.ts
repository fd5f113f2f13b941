import { PullBatch, type MessageDto } from '@fscpush/core';

export interface LocalPullLimits {
  /** entries kept per connection; 0 turns local answers off */
  entries: number;
  /** the pull limits push-group applies (message.pull.max.count / .bytes) */
  maxCount: number;
  maxBytes: number;
}

export interface LocalPull {
  messages: MessageDto[];
  current: bigint;
  head: bigint;
}

/**
 * One connection's view of its user's inbox beyond what it was last handed: the entries whose content
 * arrived with their notify (MN), kept until a pull covers them, so that pull is answered here without a
 * call to push-group. Only a gap-free run of seqs is kept — each one exactly the entry push-group
 * announced for it — so any range inside the run is answered as push-group would answer it. A seq that
 * does not follow the run starts it over; a pull reaching outside it goes to push-group.
 *
 * A `null` entry is this device's own copy of a message it sent: pulls skip it, as push-group's do.
 */
export class NotifiedInbox {
  private readonly limits: LocalPullLimits;
  /** seq of entries[0] */
  private first = 0n;
  private entries: (MessageDto | null)[] = [];
  /** the highest inbox head announced to this connection */
  private head = 0n;

  constructor(limits: LocalPullLimits) {
    this.limits = limits;
  }

  /** MN for `seq`; `message` is the entry at that seq when the notify carried it. */
  announced(seq: bigint, message: MessageDto | undefined): void {
    if (seq > this.head) this.head = seq;
    if (message !== undefined) this.keep(seq, message);
  }

  /** This device's send took `seq` in its own inbox. */
  sent(seq: bigint): void {
    if (seq > this.head) this.head = seq;
    this.keep(seq, null);
  }

  /**
   * Entries after `after`, within push-group's pull limits, if the run holds the next one; undefined when
   * push-group must answer. The result may stop short of the head: the client then pulls again.
   */
  take(after: bigint): LocalPull | undefined {
    const start = after + 1n - this.first;
    if (start < 0n || start >= BigInt(this.entries.length)) return undefined;
    const batch = new PullBatch(this.limits);
    let current = after;
    for (let i = Number(start); i < this.entries.length && batch.offer(this.entries[i]!); i++) current = this.first + BigInt(i);
    return { messages: batch.messages, current, head: this.head };
  }

  /** The connection was handed everything up to `seq`: those entries are not needed any more. */
  delivered(seq: bigint): void {
    const drop = seq + 1n - this.first;
    if (drop <= 0n) return;
    if (drop >= BigInt(this.entries.length)) {
      this.first = seq + 1n;
      this.entries = [];
    } else {
      this.entries.splice(0, Number(drop));
      this.first += drop;
    }
  }

  /** A message was recalled: kept content may be stale. */
  forget(): void {
    this.entries = [];
  }

  private keep(seq: bigint, message: MessageDto | null): void {
    if (this.limits.entries === 0) return;
    const next = this.first + BigInt(this.entries.length);
    if (this.entries.length > 0 && seq < next) return;
    if (this.entries.length === 0 || seq > next) {
      this.first = seq;
      this.entries = [message];
      return;
    }
    this.entries.push(message);
    if (this.entries.length > this.limits.entries) {
      this.entries.shift();
      this.first += 1n;
    }
  }
}
