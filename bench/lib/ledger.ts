import { Histogram } from './histogram.ts';

/**
 * The verifier. Every bench message's text is `b|<sender>|<n>|<scheduled ms>|<step>`: sender index, the
 * sender's own sequence number (1, 2, …, in send order), and when the generator meant to send it (ms on
 * this process's performance clock). Each receiving device keeps, per sender, a bitmap of the numbers it
 * got and the highest one: a number seen twice is a duplicate, a number below the highest is out of order
 * (per-sender order is the server's per-user order guarantee: one connection's sends commit in order).
 * At the end every acknowledged message must have reached every device in its sender's receiver list.
 */
export class Bitset {
  private bits = new Uint8Array(64);

  has(n: number): boolean {
    const byte = n >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (n & 7))) !== 0;
  }

  set(n: number): void {
    const byte = n >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte]! |= 1 << (n & 7);
  }
}

interface SenderState {
  sent: number;
  acked: Bitset;
  ackedCount: number;
  /** client indexes of the devices that must receive this sender's messages */
  receivers: readonly number[];
}

interface Track {
  got: Bitset;
  highest: number;
}

export interface StepStats {
  step: number;
  offeredRate: number;
  startedAt: number;
  durationMs: number;
  sent: number;
  acked: number;
  ackFailed: number;
  /** wanted to send but every eligible sender had its in-flight limit out */
  skipped: number;
  deliveries: number;
  lastDeliveryAt: number;
  ack: Histogram;
  delivered: Histogram;
}

export class Ledger {
  private readonly senders = new Map<number, SenderState>();
  private readonly tracks = new Map<number, Map<number, Track>>();
  readonly steps: StepStats[] = [];
  readonly ack = new Histogram();
  readonly delivered = new Histogram();
  duplicates = 0;
  outOfOrder = 0;
  deliveries = 0;
  /** pulled texts that are not bench messages (group notices, …) */
  foreign = 0;
  /** deliveries to a device not in the sender's receiver list */
  unexpected = 0;
  errors = new Map<string, number>();

  /** Declares who must receive `sender`'s messages (replaces an earlier list). */
  setReceivers(sender: number, receivers: readonly number[]): void {
    const state = this.senders.get(sender);
    if (state) state.receivers = receivers;
    else this.senders.set(sender, { sent: 0, acked: new Bitset(), ackedCount: 0, receivers });
  }

  newStep(offeredRate: number): StepStats {
    const step: StepStats = {
      step: this.steps.length, offeredRate, startedAt: performance.now(), durationMs: 0, sent: 0, acked: 0, ackFailed: 0, skipped: 0,
      deliveries: 0, lastDeliveryAt: 0, ack: new Histogram(), delivered: new Histogram(),
    };
    this.steps.push(step);
    return step;
  }

  /** The next message of `sender` for `step`: its text and sequence number. */
  compose(sender: number, step: StepStats, scheduledAt: number): { text: string; n: number } {
    const state = this.senders.get(sender);
    if (!state) throw new Error(`sender ${sender} has no receiver list`);
    const n = ++state.sent;
    step.sent += 1;
    return { text: `b|${sender}|${n}|${scheduledAt.toFixed(2)}|${step.step}`, n };
  }

  acknowledged(sender: number, n: number, step: StepStats, scheduledAt: number, ok: boolean, error: string | undefined): void {
    if (!ok) {
      step.ackFailed += 1;
      this.error(`send: ${error ?? 'failed'}`);
      return;
    }
    const state = this.senders.get(sender)!;
    state.acked.set(n);
    state.ackedCount += 1;
    step.acked += 1;
    const us = (performance.now() - scheduledAt) * 1000;
    step.ack.record(us);
    this.ack.record(us);
  }

  /** A device pulled these texts. */
  received(receiver: number, texts: readonly string[]): void {
    const now = performance.now();
    for (const text of texts) {
      if (!text.startsWith('b|')) {
        this.foreign += 1;
        continue;
      }
      const parts = text.split('|');
      const sender = Number(parts[1]);
      const n = Number(parts[2]);
      const scheduledAt = Number(parts[3]);
      const step = this.steps[Number(parts[4])];
      let perSender = this.tracks.get(receiver);
      if (!perSender) this.tracks.set(receiver, (perSender = new Map()));
      let track = perSender.get(sender);
      if (!track) perSender.set(sender, (track = { got: new Bitset(), highest: 0 }));
      if (track.got.has(n)) {
        this.duplicates += 1;
        continue;
      }
      track.got.set(n);
      if (n < track.highest) this.outOfOrder += 1;
      else track.highest = n;
      this.deliveries += 1;
      const us = (now - scheduledAt) * 1000;
      this.delivered.record(us);
      if (step) {
        step.deliveries += 1;
        step.delivered.record(us);
        step.lastDeliveryAt = now;
      }
    }
  }

  error(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  get sent(): number {
    let sum = 0;
    for (const s of this.senders.values()) sum += s.sent;
    return sum;
  }

  get acked(): number {
    let sum = 0;
    for (const s of this.senders.values()) sum += s.ackedCount;
    return sum;
  }

  /** Σ receivers × acknowledged messages. */
  get expected(): number {
    let sum = 0;
    for (const s of this.senders.values()) sum += s.ackedCount * s.receivers.length;
    return sum;
  }

  /** Acknowledged (sender, n, receiver) triples not delivered; and deliveries outside the expected set. */
  verify(): { lost: number; deliveredOfAcked: number; unexpected: number; lostSamples: { sender: number; n: number; receiver: number }[] } {
    let lost = 0;
    const lostSamples: { sender: number; n: number; receiver: number }[] = [];
    let deliveredOfAcked = 0;
    for (const [sender, state] of this.senders) {
      for (const receiver of state.receivers) {
        const track = this.tracks.get(receiver)?.get(sender);
        for (let n = 1; n <= state.sent; n++) {
          if (!state.acked.has(n)) continue;
          if (track?.got.has(n)) deliveredOfAcked += 1;
          else {
            lost += 1;
            if (lostSamples.length < 20) lostSamples.push({ sender, n, receiver });
          }
        }
      }
    }
    return { lost, deliveredOfAcked, unexpected: this.deliveries - deliveredOfAcked, lostSamples };
  }

  /** Deliveries still missing (cheap: compares counts, not sets). */
  outstanding(): number {
    return this.expected - this.deliveries;
  }
}
