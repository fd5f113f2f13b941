import type { BalanceCandidate, BalanceStrategy } from './index.ts';

/**
 * Smooth weighted round robin: each turn every candidate gains its weight, the richest is picked and pays
 * the total. Equal weights give strict rotation; weights 2:1 give a,b,a,a,b,a… without bursts.
 */
export class RoundRobin implements BalanceStrategy {
  private readonly current = new Map<string, number>();

  select(candidates: readonly BalanceCandidate[]): BalanceCandidate {
    let total = 0;
    let best: BalanceCandidate | undefined;
    let bestScore = -Infinity;
    const allZero = candidates.every((c) => c.weight <= 0);
    for (const c of candidates) {
      const weight = allZero ? 1 : Math.max(0, c.weight);
      const score = (this.current.get(c.address) ?? 0) + weight;
      this.current.set(c.address, score);
      total += weight;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    const chosen = best as BalanceCandidate;
    this.current.set(chosen.address, bestScore - total);
    if (this.current.size > candidates.length * 2) this.forgetGone(candidates);
    return chosen;
  }

  private forgetGone(candidates: readonly BalanceCandidate[]): void {
    const present = new Set(candidates.map((c) => c.address));
    for (const address of this.current.keys()) if (!present.has(address)) this.current.delete(address);
  }
}
