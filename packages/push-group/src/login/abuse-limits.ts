import { FscError } from '@fscpush/core';
import type { GridMap, SharedGrid } from '@fscpush/ports';

export interface AbuseLimitPolicy {
  /** /send_code per source address per hour; 0 = none */
  codesPerAddressHour: number;
  /** /send_code of everyone per minute; 0 = none */
  codesPerMinute: number;
  /** failed logins per source address per hour; 0 = none */
  loginFailuresPerAddressHour: number;
}

const HOUR_MS = 3600_000;
const MINUTE_MS = 60_000;

/**
 * Limits of the unauthenticated login paths beyond the per-mobile ones, as shared-grid counters (so they
 * hold across push-group instances). Each window starts with its first request.
 */
export class AbuseLimits {
  private readonly counters: GridMap<number>;
  private readonly policy: AbuseLimitPolicy;

  constructor(grid: SharedGrid, policy: AbuseLimitPolicy) {
    this.counters = grid.map<number>('login-abuse');
    this.policy = policy;
  }

  /** Counts a /send_code; OVER_FREQUENCY when this address or everyone together asked too often. */
  async countCodeRequest(address: string): Promise<void> {
    await this.over(`codes:${address}`, HOUR_MS, this.policy.codesPerAddressHour, 'too many verification codes requested from this address');
    await this.over('codes:*', MINUTE_MS, this.policy.codesPerMinute, 'too many verification codes requested, try again in a minute');
  }

  /** OVER_FREQUENCY while this address has used up its failed logins of the hour. */
  async checkLogin(address: string): Promise<void> {
    const limit = this.policy.loginFailuresPerAddressHour;
    if (limit > 0 && ((await this.counters.get(`failures:${address}`)) ?? 0) >= limit) {
      throw new FscError('OVER_FREQUENCY', 'too many failed logins from this address, try again later');
    }
  }

  async countLoginFailure(address: string): Promise<void> {
    if (this.policy.loginFailuresPerAddressHour > 0) await this.counters.increment(`failures:${address}`, 1, HOUR_MS);
  }

  private async over(key: string, windowMs: number, limit: number, message: string): Promise<void> {
    if (limit <= 0) return;
    if ((await this.counters.increment(key, 1, windowMs)) > limit) throw new FscError('OVER_FREQUENCY', message);
  }
}
