import type { MessageContentDto } from '@fscpush/core';
import type { InboxEntry } from '../repos/messages-repo.ts';

interface Ring {
  /** seq of entries[start] */
  first: bigint;
  entries: InboxEntry[];
  start: number;
}

export interface RecentInboxLimits {
  /** newest entries kept per user */
  perUser: number;
  /** entries kept in all; the least recently written users go first */
  total: number;
}

/**
 * The newest inbox entries of recently active users, filled by the message writer right after each
 * commit, so the pull that follows a notify is answered without a store round trip (the join, and the
 * JSON parse of every message's content). Correct only while this process is the inbox's only writer
 * (embedded mode): a pull is served from here only when the entries cover the whole range it asks for
 * (after, min(head, after + limit)] without a gap, with `head` read from the store; anything else falls
 * back to the store. Recalls rewrite the cached content too.
 */
export class RecentInbox {
  private readonly limits: RecentInboxLimits;
  /** Map order = least recently written first */
  private readonly users = new Map<string, Ring>();
  private size = 0;

  constructor(limits: RecentInboxLimits) {
    this.limits = limits;
  }

  /** A committed entry; entries of one user must arrive in seq order (the writer commits in order). */
  add(uid: string, entry: InboxEntry): void {
    const seq = BigInt(entry.seq);
    let ring = this.users.get(uid);
    if (ring) {
      this.users.delete(uid);
      if (ring.first + BigInt(ring.entries.length - ring.start) !== seq) {
        // a gap (an entry written elsewhere): start over from this one
        this.size -= ring.entries.length - ring.start;
        ring = undefined;
      }
    }
    if (!ring) ring = { first: seq, entries: [], start: 0 };
    this.users.set(uid, ring);
    ring.entries.push(entry);
    this.size += 1;
    if (ring.entries.length - ring.start > this.limits.perUser) this.dropOldest(ring);
    while (this.size > this.limits.total) this.evictUser();
  }

  /**
   * Entries with after < seq ≤ min(head, after + limit), oldest first, if all of them are here;
   * undefined when the store must answer.
   */
  range(uid: string, after: bigint, head: bigint, limit: number): InboxEntry[] | undefined {
    const ring = this.users.get(uid);
    if (!ring) return undefined;
    const want = head < after + BigInt(limit) ? head : after + BigInt(limit);
    if (want <= after) return [];
    const count = ring.entries.length - ring.start;
    const last = ring.first + BigInt(count) - 1n;
    if (after + 1n < ring.first || want > last) return undefined;
    const from = ring.start + Number(after + 1n - ring.first);
    return ring.entries.slice(from, from + Number(want - after));
  }

  /** A recall replaced a message's content: cached copies change with it. */
  replaceContent(mid: string, content: MessageContentDto): void {
    for (const ring of this.users.values()) {
      for (let i = ring.start; i < ring.entries.length; i++) {
        const entry = ring.entries[i]!;
        if (entry.message.messageId === mid) ring.entries[i] = { ...entry, message: { ...entry.message, content } };
      }
    }
  }

  private dropOldest(ring: Ring): void {
    ring.start += 1;
    ring.first += 1n;
    this.size -= 1;
    if (ring.start > 64 && ring.start * 2 > ring.entries.length) {
      ring.entries = ring.entries.slice(ring.start);
      ring.start = 0;
    }
  }

  private evictUser(): void {
    const oldest = this.users.keys().next();
    if (oldest.done) return;
    const ring = this.users.get(oldest.value)!;
    this.size -= ring.entries.length - ring.start;
    this.users.delete(oldest.value);
  }
}
