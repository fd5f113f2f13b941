import { FscError } from '@fscpush/core';
import type { LoadBalance } from '@fscpush/ports';
import { ConsistentHash } from './consistent-hash.ts';
import { LeastActive } from './least-active.ts';
import { RandomWeighted } from './random-weighted.ts';
import { RoundRobin } from './round-robin.ts';

/** A provider as a balancing strategy sees it. */
export interface BalanceCandidate {
  /** `host:port`. */
  address: string;
  nodeId: string;
  /** Relative share of calls (Dubbo's `weight`, default 100); 0 only gets calls when all are 0. */
  weight: number;
  /** Calls this consumer has outstanding on that provider. */
  active: number;
}

/** Picks one provider for a call; `candidates` is never empty. State (if any) lives in the instance. */
export interface BalanceStrategy {
  /** `key`, when given, replaces the key a strategy would take from the arguments */
  select(candidates: readonly BalanceCandidate[], args: readonly unknown[], key?: string): BalanceCandidate;
}

/** A fresh strategy instance (one per consume(), so round-robin turns are per proxy). */
export function createBalanceStrategy(name: LoadBalance = 'random'): BalanceStrategy {
  switch (name) {
    case 'random':
      return new RandomWeighted();
    case 'round-robin':
      return new RoundRobin();
    case 'least-active':
      return new LeastActive();
    case 'consistent-hash':
      return new ConsistentHash();
    default:
      throw new FscError('CONFIG_INVALID', `unknown load balance "${String(name)}"`);
  }
}
