import { randomInt, timingSafeEqual } from 'node:crypto';
import { FscError } from '@fscpush/core';
import type { GridMap, SharedGrid } from '@fscpush/ports';

export interface CodePolicy {
  ttlMs: number;
  intervalMs: number;
  dailyLimit: number;
  /** wrong guesses allowed before the code is burnt */
  maxAttempts: number;
  /** '' = no super code */
  superCode: string;
}

interface IssuedCode {
  code: string;
  expiresAt: number;
  attempts: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** 4-digit SMS codes in the shared grid: rate limited per mobile, expiring, burnt after a few wrong guesses. */
export class VerificationCodes {
  private readonly codes: GridMap<IssuedCode>;
  private readonly counters: GridMap<number>;
  private readonly policy: CodePolicy;

  constructor(grid: SharedGrid, policy: CodePolicy) {
    this.codes = grid.map<IssuedCode>('sms-codes');
    this.counters = grid.map<number>('sms-counters');
    this.policy = policy;
  }

  async issue(mobile: string): Promise<string> {
    const recent = await this.counters.increment(`interval:${mobile}`, 1, this.policy.intervalMs);
    if (recent > 1) throw new FscError('CODE_TOO_FREQUENT');
    const today = new Date().toISOString().slice(0, 10);
    const daily = await this.counters.increment(`daily:${mobile}:${today}`, 1, DAY_MS);
    if (daily > this.policy.dailyLimit) throw new FscError('CODE_TOO_FREQUENT', 'daily verification code limit reached');
    const code = String(randomInt(0, 10000)).padStart(4, '0');
    await this.codes.set(mobile, { code, expiresAt: Date.now() + this.policy.ttlMs, attempts: 0 }, this.policy.ttlMs);
    return code;
  }

  /** Succeeds once per issued code; throws CODE_EXPIRED or CODE_WRONG. */
  async consume(mobile: string, code: string): Promise<void> {
    if (this.policy.superCode !== '' && safeEqual(code, this.policy.superCode)) return;
    let outcome: 'ok' | 'expired' | 'wrong' = 'expired';
    await this.codes.update(mobile, (issued) => {
      if (!issued || issued.expiresAt <= Date.now()) {
        outcome = 'expired';
        return undefined;
      }
      if (safeEqual(code, issued.code)) {
        outcome = 'ok';
        return undefined;
      }
      outcome = 'wrong';
      const attempts = issued.attempts + 1;
      return attempts >= this.policy.maxAttempts ? undefined : { ...issued, attempts };
    }, this.policy.ttlMs);
    if (outcome === 'expired') throw new FscError('CODE_EXPIRED');
    if (outcome === 'wrong') throw new FscError('CODE_WRONG');
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
