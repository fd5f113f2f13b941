import type { Logger } from '@fscpush/core';
import type { GridMap, SharedGrid } from '@fscpush/ports';

export interface RateLimit {
  /** requests per key per window; 0 = unlimited */
  limit: number;
  windowSeconds: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Fixed windows aligned to the epoch, one counter per key and window in the shared grid, so every push-api
 * instance of a cluster counts against the same limit. If the grid fails the request is let through (logged):
 * an outage of the grid must not take the API down with it.
 */
export class RateLimiter {
  private readonly counters: GridMap<number>;
  private readonly config: RateLimit;
  private readonly log: Logger;

  constructor(grid: SharedGrid, config: RateLimit, log: Logger) {
    this.counters = grid.map<number>('push-api.rate');
    this.config = config;
    this.log = log;
  }

  async check(keyId: string, now = Date.now()): Promise<RateDecision> {
    if (this.config.limit === 0) return { ok: true };
    const windowMs = this.config.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    let count: number;
    try {
      count = await this.counters.increment(`${keyId}:${window}`, 1, windowMs + 1000);
    } catch (err) {
      this.log.warn({ err }, 'rate limit counter unavailable: request let through');
      return { ok: true };
    }
    if (count <= this.config.limit) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)) };
  }
}
