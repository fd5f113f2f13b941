import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBalanceStrategy, type BalanceCandidate } from '../src/balance/index.ts';
import { ConsistentHash, hashKey } from '../src/balance/consistent-hash.ts';
import { LeastActive } from '../src/balance/least-active.ts';
import { RandomWeighted } from '../src/balance/random-weighted.ts';
import { RoundRobin } from '../src/balance/round-robin.ts';

function candidate(address: string, weight = 100, active = 0): BalanceCandidate {
  return { address, nodeId: address, weight, active };
}

function tally(pick: () => BalanceCandidate, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const a = pick().address;
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return counts;
}

test('random: shares follow weights (1:3), all-zero weights fall back to uniform', () => {
  const strategy = new RandomWeighted();
  const list = [candidate('a', 100), candidate('b', 300)];
  const counts = tally(() => strategy.select(list), 20_000);
  const shareB = (counts.get('b') ?? 0) / 20_000;
  assert.ok(Math.abs(shareB - 0.75) < 0.03, `b got ${shareB}`);
  const zero = tally(() => strategy.select([candidate('a', 0), candidate('b', 0)]), 2000);
  assert.ok((zero.get('a') ?? 0) > 800 && (zero.get('b') ?? 0) > 800, JSON.stringify([...zero]));
});

test('round robin: strict rotation with equal weights, smooth 2:1 with weights', () => {
  const rr = new RoundRobin();
  const list = [candidate('a'), candidate('b'), candidate('c')];
  assert.deepEqual(
    Array.from({ length: 6 }, () => rr.select(list).address),
    ['a', 'b', 'c', 'a', 'b', 'c'],
  );
  const weighted = new RoundRobin();
  const wl = [candidate('a', 200), candidate('b', 100)];
  const seq = Array.from({ length: 6 }, () => weighted.select(wl).address);
  assert.deepEqual(seq, ['a', 'b', 'a', 'a', 'b', 'a']);
  // A provider leaving does not break the rotation of the others.
  assert.deepEqual(Array.from({ length: 4 }, () => rr.select([candidate('a'), candidate('c')]).address).sort(), ['a', 'a', 'c', 'c']);
});

test('least active: always among the least busy, weighted random among ties', () => {
  const la = new LeastActive();
  const counts = tally(() => la.select([candidate('a', 100, 3), candidate('b', 100, 1), candidate('c', 100, 1)]), 1000);
  assert.equal(counts.get('a'), undefined);
  assert.ok((counts.get('b') ?? 0) > 350 && (counts.get('c') ?? 0) > 350);
});

test('consistent hash: same uid → same provider; keys spread; only a leaving provider\'s keys move', () => {
  const ch = new ConsistentHash();
  const list = [candidate('10.0.0.1:7463'), candidate('10.0.0.2:7463'), candidate('10.0.0.3:7463')];
  const uids = Array.from({ length: 3000 }, (_, i) => `user-${i}`);
  const before = new Map(uids.map((uid) => [uid, ch.select(list, [{ uid, text: 'hi' }]).address]));
  for (const uid of uids.slice(0, 50)) assert.equal(ch.select(list, [{ uid }]).address, before.get(uid));
  const perProvider = new Map<string, number>();
  for (const a of before.values()) perProvider.set(a, (perProvider.get(a) ?? 0) + 1);
  for (const c of list) assert.ok((perProvider.get(c.address) ?? 0) > 600, `${c.address}: ${perProvider.get(c.address)}`);
  const remaining = list.filter((c) => c.address !== '10.0.0.2:7463');
  for (const uid of uids) {
    const after = ch.select(remaining, [{ uid }]).address;
    if (before.get(uid) !== '10.0.0.2:7463') assert.equal(after, before.get(uid), `${uid} moved needlessly`);
  }
});

test('consistent hash key: uid of the first argument, else the first string argument, else none', () => {
  assert.equal(hashKey([{ uid: 'u1', other: 'x' }, 'second']), 'u1');
  assert.equal(hashKey([{ uid: 42 }]), '42');
  assert.equal(hashKey([{ gid: 'g' }, 7, 'u2', 'u3']), 'u2');
  assert.equal(hashKey([1, true, null]), undefined);
  // No key: spread at random rather than all on one provider.
  const ch = new ConsistentHash();
  const counts = tally(() => ch.select([candidate('a'), candidate('b')], [1]), 1000);
  assert.ok((counts.get('a') ?? 0) > 350 && (counts.get('b') ?? 0) > 350);
});

test('createBalanceStrategy: known names, fresh state per call, unknown name is CONFIG_INVALID', () => {
  for (const name of ['random', 'round-robin', 'least-active', 'consistent-hash'] as const) {
    assert.equal(typeof createBalanceStrategy(name).select, 'function');
  }
  assert.ok(createBalanceStrategy() instanceof RandomWeighted);
  assert.notEqual(createBalanceStrategy('round-robin'), createBalanceStrategy('round-robin'));
  assert.throws(() => createBalanceStrategy('fastest' as never), (err: Error & { code?: string }) => err.code === 'CONFIG_INVALID');
});
