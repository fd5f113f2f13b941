import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TickBatcher } from '../src/repos/tick-batcher.ts';

test('lookups of one loop turn share one loadMany call; equal keys share one answer', async () => {
  const calls: string[][] = [];
  const batcher = new TickBatcher<string, number>(async (keys) => {
    calls.push(keys);
    return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
  }, (k) => k);
  const answers = await Promise.all([batcher.load('a'), batcher.load('bb'), batcher.load('a'), batcher.load('missing')]);
  assert.deepEqual(answers, [1, 2, 1, undefined]);
  assert.deepEqual(calls, [['a', 'bb', 'missing']]);
  assert.equal(await batcher.load('ccc'), 3);
  assert.equal(calls.length, 2, 'a later turn queries again: nothing is cached');
});

test('a failed loadMany rejects every lookup of its batch, and only those', async () => {
  let fail = true;
  const batcher = new TickBatcher<string, string>(async (keys) => {
    if (fail) throw new Error('store down (expected by the test)');
    return new Map(keys.map((k) => [k, k]));
  }, (k) => k);
  const results = await Promise.allSettled([batcher.load('x'), batcher.load('y')]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  fail = false;
  assert.equal(await batcher.load('x'), 'x');
});

test('batches are split at maxKeys', async () => {
  const sizes: number[] = [];
  const batcher = new TickBatcher<number, number>(async (keys) => {
    sizes.push(keys.length);
    return new Map(keys.map((k) => [String(k), k]));
  }, String, 2);
  assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map((k) => batcher.load(k))), [1, 2, 3, 4, 5]);
  assert.deepEqual(sizes, [2, 2, 1]);
});
