import type { DecodedDelivery, Logger } from '@fscpush/core';

export interface RejectedEventCount {
  reason: string;
  kind: string;
  count: number;
}

type Rejection = Extract<DecodedDelivery, { ok: false }>;

/**
 * Delivery events this connector could not read, counted by reason and kind (the metric
 * fscpush_bus_events_rejected_total), each reason and kind logged once with an example.
 */
export class RejectedEvents {
  private readonly counts = new Map<string, RejectedEventCount>();
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  add(topic: string, rejection: Rejection): void {
    const key = `${rejection.reason}\u0000${rejection.kind}`;
    const entry = this.counts.get(key);
    if (entry) {
      entry.count += 1;
      return;
    }
    this.counts.set(key, { reason: rejection.reason, kind: rejection.kind, count: 1 });
    const hint = rejection.reason === 'unknown-version' ? ' (a newer push-group? upgrade connectors first)' : '';
    this.log.error({ topic, reason: rejection.reason, kind: rejection.kind, version: rejection.version, detail: rejection.detail }, `delivery event skipped: ${rejection.reason}${hint}; further ones of this kind are only counted`);
  }

  snapshot(): RejectedEventCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }
}
