import type { BalanceCandidate, BalanceStrategy } from './index.ts';
import { pickWeighted } from './random-weighted.ts';

/** Picks among the candidates with the fewest outstanding calls from this consumer, weighted at random on ties. */
export class LeastActive implements BalanceStrategy {
  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  select(candidates: readonly BalanceCandidate[]): BalanceCandidate {
    let least = Infinity;
    for (const c of candidates) least = Math.min(least, c.active);
    return pickWeighted(
      candidates.filter((c) => c.active === least),
      this.random,
    );
  }
}
