import { createHash } from 'node:crypto';
import type { BalanceCandidate, BalanceStrategy } from './index.ts';
import { pickWeighted } from './random-weighted.ts';

/** Points per provider on the ring (as Dubbo's default), so load spreads evenly. */
const VIRTUAL_NODES = 160;

interface RingPoint {
  point: number;
  address: string;
}

/**
 * Calls for the same user go to the same provider while the provider set is unchanged; when a provider
 * leaves, only its users move. The key is the `uid` field of the first argument when present, else the
 * first string argument (or the consumer's routeKey); calls without a key are spread at random by weight.
 * Weights do not apply.
 */
export class ConsistentHash implements BalanceStrategy {
  private ringKey = '';
  private ring: RingPoint[] = [];

  select(candidates: readonly BalanceCandidate[], args: readonly unknown[], routeKey?: string): BalanceCandidate {
    const key = routeKey ?? hashKey(args);
    if (key === undefined) return pickWeighted(candidates, Math.random);
    const ring = this.ringFor(candidates);
    const point = md5Point(key, 0);
    let lo = 0;
    let hi = ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ring[mid] as RingPoint).point < point) lo = mid + 1;
      else hi = mid;
    }
    const address = (ring[lo] ?? (ring[0] as RingPoint)).address;
    return candidates.find((c) => c.address === address) ?? (candidates[0] as BalanceCandidate);
  }

  private ringFor(candidates: readonly BalanceCandidate[]): RingPoint[] {
    const key = candidates.map((c) => c.address).sort().join(',');
    if (key === this.ringKey) return this.ring;
    const ring: RingPoint[] = [];
    for (const { address } of candidates) {
      for (let i = 0; i < VIRTUAL_NODES / 4; i++) {
        const digest = createHash('md5').update(`${address}-${i}`).digest();
        for (let j = 0; j < 4; j++) ring.push({ point: digest.readUInt32LE(j * 4), address });
      }
    }
    ring.sort((a, b) => a.point - b.point);
    this.ring = ring;
    this.ringKey = key;
    return ring;
  }
}

/** `uid` of the first argument (string or number), else the first string argument. */
export function hashKey(args: readonly unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === 'object' && first !== null && 'uid' in first) {
    const uid = (first as { uid: unknown }).uid;
    if (typeof uid === 'string' || typeof uid === 'number') return String(uid);
  }
  for (const arg of args) if (typeof arg === 'string') return arg;
  return undefined;
}

function md5Point(key: string, offset: number): number {
  return createHash('md5').update(key).digest().readUInt32LE(offset);
}
