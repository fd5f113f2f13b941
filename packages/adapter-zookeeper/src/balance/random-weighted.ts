import type { BalanceCandidate, BalanceStrategy } from './index.ts';

/** Picks at random, each candidate with probability weight / total weight (uniform if all weights are 0). */
export class RandomWeighted implements BalanceStrategy {
  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  select(candidates: readonly BalanceCandidate[]): BalanceCandidate {
    return pickWeighted(candidates, this.random);
  }
}

export function pickWeighted(candidates: readonly BalanceCandidate[], random: () => number): BalanceCandidate {
  let total = 0;
  for (const c of candidates) total += Math.max(0, c.weight);
  if (total <= 0) return candidates[Math.floor(random() * candidates.length)] ?? (candidates[0] as BalanceCandidate);
  let point = random() * total;
  for (const c of candidates) {
    point -= Math.max(0, c.weight);
    if (point < 0) return c;
  }
  return candidates[candidates.length - 1] as BalanceCandidate;
}
