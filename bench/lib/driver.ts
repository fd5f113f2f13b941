import type { BenchClient } from './bench-client.ts';
import type { Ledger, StepStats } from './ledger.ts';

/** One sender: the device that sends and the conversation it sends to. */
export interface Sender {
  /** ledger sender index */
  id: number;
  client: () => BenchClient;
  convType: number;
  target: string;
}

export interface RateOptions {
  rate: number;
  durationMs: number;
  /** a sender with this many unacknowledged sends is skipped (the server refuses above 64) */
  maxInFlight: number;
  /** called about once per second while sending */
  onTick?: (step: StepStats) => void;
}

const TICK_MS = 2;

/**
 * Open-loop load: message k of the step is due at start + k/rate, whatever happened to earlier ones,
 * and its latencies are measured from that due time (no coordinated omission: a stalled server shows
 * up as latency, not as a lower offered rate). Senders take turns; a saturated sender is skipped and
 * the message counted as `skipped` when every sender is saturated.
 */
export async function sendAtRate(ledger: Ledger, senders: readonly Sender[], options: RateOptions): Promise<StepStats> {
  const step = ledger.newStep(options.rate);
  const start = step.startedAt;
  const interval = 1000 / options.rate;
  const total = Math.floor((options.rate * options.durationMs) / 1000);
  let issued = 0;
  let turn = 0;
  let lastTick = start;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      while (issued < due) {
        const scheduledAt = start + issued * interval;
        issued += 1;
        let sent = false;
        for (let tries = 0; tries < senders.length && !sent; tries++) {
          const sender = senders[turn]!;
          turn = (turn + 1) % senders.length;
          const client = sender.client();
          if (!client.open || client.inFlight >= options.maxInFlight) continue;
          const { text, n } = ledger.compose(sender.id, step, scheduledAt);
          client.send(sender.convType, sender.target, text, (ok, error) => ledger.acknowledged(sender.id, n, step, scheduledAt, ok, error));
          sent = true;
        }
        if (!sent) step.skipped += 1;
      }
      if (options.onTick && now - lastTick >= 1000) {
        lastTick = now;
        options.onTick(step);
      }
      if (issued >= total) {
        step.durationMs = performance.now() - start;
        resolve();
        return;
      }
      setTimeout(tick, TICK_MS);
    };
    tick();
  });
  return step;
}

/**
 * Waits until no send awaits its ack and every expected delivery arrived, or nothing moved for
 * `quietMs`, or `timeoutMs` passed.
 */
export async function drain(ledger: Ledger, sendsInFlight: () => number, timeoutMs: number, quietMs: number, onTick?: () => void): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = ledger.deliveries + ledger.acked;
  let lastChange = performance.now();
  while (performance.now() < deadline) {
    if (ledger.outstanding() <= 0 && sendsInFlight() === 0) return;
    await new Promise((r) => setTimeout(r, 50));
    const moved = ledger.deliveries + ledger.acked;
    if (moved !== last) {
      last = moved;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > quietMs) {
      return;
    }
    onTick?.();
  }
}
