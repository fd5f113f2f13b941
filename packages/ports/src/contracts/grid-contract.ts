import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SharedGrid } from '../grid.ts';
import { sleep, uniqueName } from './helpers.ts';

/**
 * The SharedGrid contract, run against every implementation (MemoryGrid here, Hazelcast in the
 * integration tier). Values are JSON data; `update` is atomic per key; `increment` creates a counter
 * with a TTL that later increments do not extend. Every test uses fresh map names.
 */
export interface GridContractOptions {
  /** A grid for the suite; closed after it. */
  create(): Promise<SharedGrid>;
  /** A TTL short enough to wait out in a test (default 50 ms)... */
  shortTtlMs?: number;
  /** ...and how long to wait for it to have expired (default 120 ms). */
  expiryWaitMs?: number;
}

export function describeGridContract(name: string, options: GridContractOptions): void {
  const ttl = options.shortTtlMs ?? 50;
  const expiryWait = options.expiryWaitMs ?? 120;

  describe(`SharedGrid contract: ${name}`, () => {
    let grid: SharedGrid;
    before(async () => {
      grid = await options.create();
    });
    after(async () => {
      await grid.close();
    });

    test('get/set/delete', async () => {
      const map = grid.map<{ uid: string; tags: string[]; n: number }>(uniqueName('m'));
      assert.equal(await map.get('absent'), undefined);
      await map.set('a', { uid: 'u1', tags: ['x', 'y'], n: 1 });
      await map.set('b', { uid: 'u2', tags: [], n: 2 });
      assert.deepEqual(await map.get('a'), { uid: 'u1', tags: ['x', 'y'], n: 1 });
      await map.set('a', { uid: 'u1', tags: [], n: 3 });
      assert.deepEqual(await map.get('a'), { uid: 'u1', tags: [], n: 3 }, 'set overwrites');
      await map.delete('a');
      assert.equal(await map.get('a'), undefined);
      assert.deepEqual(await map.get('b'), { uid: 'u2', tags: [], n: 2 }, 'delete touches only its key');
      await map.delete('never-set');
    });

    test('getMany returns the live values of the keys that have one', async () => {
      const map = grid.map<{ n: number }>(uniqueName('m'));
      assert.deepEqual(await map.getMany([]), new Map());
      await map.set('a', { n: 1 });
      await map.set('b', { n: 2 });
      await map.set('gone', { n: 3 }, ttl);
      await sleep(expiryWait);
      const found = await map.getMany(['a', 'absent', 'b', 'gone', 'a']);
      assert.deepEqual(found, new Map([['a', { n: 1 }], ['b', { n: 2 }]]));
    });

    test('falsy values are values, not absence', async () => {
      const map = grid.map<unknown>(uniqueName('m'));
      for (const [key, value] of [['zero', 0], ['empty', ''], ['false', false], ['null', null]] as const) {
        await map.set(key, value);
        assert.deepEqual(await map.get(key), value, key);
      }
      assert.equal(await map.update('zero', (v) => (v as number) + 1), 1);
    });

    test('entries expire after their TTL; entries without one do not', async () => {
      const map = grid.map<string>(uniqueName('m'));
      await map.set('short', 'v', ttl);
      await map.set('forever', 'v');
      await map.set('long', 'v', 60_000);
      assert.equal(await map.get('short'), 'v');
      await sleep(expiryWait);
      assert.equal(await map.get('short'), undefined);
      assert.equal(await map.get('forever'), 'v');
      assert.equal(await map.get('long'), 'v');
    });

    test('set replaces the TTL of an existing entry', async () => {
      const map = grid.map<string>(uniqueName('m'));
      await map.set('k', 'v1', ttl);
      await map.set('k', 'v2');
      await sleep(expiryWait);
      assert.equal(await map.get('k'), 'v2');
    });

    test('update is atomic: 200 concurrent increments via update lose no write', async () => {
      const map = grid.map<number>(uniqueName('m'));
      const results = await Promise.all(Array.from({ length: 200 }, () => map.update('counter', (n) => (n ?? 0) + 1)));
      assert.equal(await map.get('counter'), 200);
      assert.deepEqual([...results].sort((a, b) => a! - b!), Array.from({ length: 200 }, (_, i) => i + 1), 'each update saw a distinct value');
    });

    test('update sees the current value, returns the new one, and undefined deletes', async () => {
      const map = grid.map<{ n: number }>(uniqueName('m'));
      const seen: ({ n: number } | undefined)[] = [];
      assert.deepEqual(await map.update('k', (cur) => (seen.push(cur), { n: 1 })), { n: 1 });
      assert.deepEqual(await map.update('k', (cur) => (seen.push(cur), { n: cur!.n + 1 })), { n: 2 });
      assert.deepEqual(await map.get('k'), { n: 2 });
      assert.equal(await map.update('k', (cur) => (seen.push(cur), undefined)), undefined);
      assert.equal(await map.get('k'), undefined);
      assert.deepEqual(seen.slice(0, 3), [undefined, { n: 1 }, { n: 2 }]);
      assert.equal(await map.update('absent', () => undefined), undefined, 'deleting an absent entry is fine');
    });

    test('update does not see an expired entry, and applies its TTL', async () => {
      const map = grid.map<number>(uniqueName('m'));
      await map.set('k', 41, ttl);
      await sleep(expiryWait);
      assert.equal(await map.update('k', (cur) => (cur ?? 0) + 1), 1);
      await map.update('t', () => 1, ttl);
      assert.equal(await map.get('t'), 1);
      await sleep(expiryWait);
      assert.equal(await map.get('t'), undefined);
    });

    test('increment creates the counter with the TTL and does not extend it', async () => {
      const map = grid.map<number>(uniqueName('m'));
      const longTtl = ttl * 3;
      assert.equal(await map.increment('c', 1, longTtl), 1);
      await sleep(longTtl / 2 + 10);
      assert.equal(await map.increment('c', 5, longTtl), 6);
      assert.equal(await map.get('c'), 6);
      // Past the first TTL, before the TTL a refreshing increment would have set.
      await sleep(longTtl / 2 + 30);
      assert.equal(await map.get('c'), undefined, 'the second increment must not extend the TTL');
      assert.equal(await map.increment('c', 1, longTtl), 1, 'a new counter starts after expiry');
    });

    test('concurrent increments lose no write; negative deltas count down', async () => {
      const map = grid.map<number>(uniqueName('m'));
      await Promise.all(Array.from({ length: 200 }, () => map.increment('c', 2, 60_000)));
      assert.equal(await map.get('c'), 400);
      assert.equal(await map.increment('c', -401, 60_000), -1);
    });

    test('maps are independent; the same name is the same map', async () => {
      const nameA = uniqueName('m');
      const a = grid.map<string>(nameA);
      const b = grid.map<string>(uniqueName('m'));
      await a.set('k', 'from-a');
      assert.equal(await b.get('k'), undefined);
      await b.set('k', 'from-b');
      assert.equal(await a.get('k'), 'from-a');
      await b.delete('k');
      assert.equal(await a.get('k'), 'from-a');
      assert.equal(await grid.map<string>(nameA).get('k'), 'from-a');
    });
  });
}
