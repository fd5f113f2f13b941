import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IMap } from 'hazelcast-client';
import { FscError } from '@fscpush/core';
import { SERVER_TTL_PADDING_MS, decodeEntry, encodeEntry, expiresAtFor, parseEntry, serverTtlMs } from '../src/grid-entry.ts';
import { HazelcastGridMap, type MapAccess } from '../src/hazelcast-grid-map.ts';

/**
 * The compare-and-set logic of HazelcastGridMap without a member: a fake IMap that behaves as Hazelcast
 * 5.6 does where it matters (replaceIfSame drops the entry's TTL; setTtl sets it), with gates to force the
 * interleavings a real cluster produces only rarely. The real member is in hazelcast-grid.cluster.test.ts.
 */
interface Stored {
  value: string;
  /** ms as given to the member; 0 = forever */
  ttl: number;
}

class FakeIMap {
  readonly entries = new Map<string, Stored>();
  readonly calls: string[] = [];
  /** op → promise the op waits for before it runs (once) */
  readonly gates = new Map<string, Promise<void>>();

  async run<T>(op: string, body: () => T): Promise<T> {
    this.calls.push(op);
    const gate = this.gates.get(op);
    if (gate) {
      this.gates.delete(op);
      await gate;
    }
    return body();
  }

  asIMap(): IMap<string, string> {
    const fake = {
      get: (key: string) => this.run('get', () => this.entries.get(key)?.value ?? null),
      set: (key: string, value: string, ttl = 0) => this.run('set', () => void this.entries.set(key, { value, ttl })),
      delete: (key: string) => this.run('delete', () => void this.entries.delete(key)),
      putIfAbsent: (key: string, value: string, ttl = 0) =>
        this.run('putIfAbsent', () => {
          const existing = this.entries.get(key);
          if (existing) return existing.value;
          this.entries.set(key, { value, ttl });
          return null;
        }),
      replaceIfSame: (key: string, oldValue: string, newValue: string) =>
        this.run('replace', () => {
          if (this.entries.get(key)?.value !== oldValue) return false;
          this.entries.set(key, { value: newValue, ttl: 0 }); // as Hazelcast: the TTL is gone
          return true;
        }),
      remove: (key: string, value: string) =>
        this.run('remove', () => {
          if (this.entries.get(key)?.value !== value) return false;
          this.entries.delete(key);
          return true;
        }),
      setTtl: (key: string, ttl: number) =>
        this.run('setTtl', () => {
          const existing = this.entries.get(key);
          if (!existing) return false;
          existing.ttl = ttl;
          return true;
        }),
    };
    return fake as unknown as IMap<string, string>;
  }
}

function mapOn<V>(fake: FakeIMap, updateTimeoutMs = 2000): HazelcastGridMap<V> {
  const imap = fake.asIMap();
  const access: MapAccess = { name: 'fscpush.test', updateTimeoutMs, call: (_op, fn) => fn(imap) };
  return new HazelcastGridMap<V>(access);
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const ttlOf = (fake: FakeIMap, key: string): number | undefined => fake.entries.get(key)?.ttl;

test('entry codec: JSON envelope, expiry to the millisecond, padded member TTL', () => {
  assert.equal(encodeEntry({ a: [1, 'x'] }, 0), '{"e":0,"v":{"a":[1,"x"]}}');
  assert.equal(encodeEntry(null, 5), '{"e":5,"v":null}');
  assert.deepEqual(decodeEntry('{"e":0,"v":false}', 1e15), { value: false, expiresAt: 0 });
  assert.deepEqual(decodeEntry('{"e":1000,"v":1}', 999), { value: 1, expiresAt: 1000 });
  assert.equal(decodeEntry('{"e":1000,"v":1}', 1000), undefined, 'expired at its expiry instant');
  assert.deepEqual(parseEntry('{"e":1000,"v":1}'), { value: 1, expiresAt: 1000 }, 'parse ignores expiry');
  assert.equal(expiresAtFor(undefined, 100), 0);
  assert.equal(expiresAtFor(0, 100), 0);
  assert.equal(expiresAtFor(-5, 100), 0);
  assert.equal(expiresAtFor(50, 100), 150);
  assert.equal(serverTtlMs(0, 100), 0, 'forever');
  assert.equal(serverTtlMs(150, 100), 50 + SERVER_TTL_PADDING_MS);
  assert.equal(serverTtlMs(90, 100), SERVER_TTL_PADDING_MS, 'already expired: collected soon');
  assert.throws(() => encodeEntry(1n, 0), (err: unknown) => err instanceof FscError && err.code === 'INVALID_DATA');
  assert.throws(() => encodeEntry(undefined, 0), (err: unknown) => err instanceof FscError && err.code === 'INVALID_DATA');
  assert.throws(() => parseEntry('not json'), (err: unknown) => err instanceof FscError && err.code === 'SERVER_ERROR');
  assert.throws(() => parseEntry('"a plain string"'), (err: unknown) => err instanceof FscError && err.code === 'SERVER_ERROR');
});

test('creating uses putIfAbsent with the padded TTL; replacing puts the TTL back with setTtl', async () => {
  const fake = new FakeIMap();
  const map = mapOn<number>(fake);
  assert.equal(await map.increment('c', 1, 5000), 1);
  assert.deepEqual(fake.calls, ['get', 'putIfAbsent']);
  const created = ttlOf(fake, 'c')!;
  assert.ok(created > 5000 && created <= 5000 + SERVER_TTL_PADDING_MS);
  fake.calls.length = 0;
  assert.equal(await map.increment('c', 2, 60_000), 3);
  assert.deepEqual(fake.calls, ['get', 'replace', 'setTtl', 'get']);
  const kept = ttlOf(fake, 'c')!;
  assert.ok(kept <= created && kept > 4000, `the remaining TTL of the first increment, not 60 s (got ${kept})`);
});

test('an update without TTL needs no setTtl; an unchanged value is not written at all', async () => {
  const fake = new FakeIMap();
  const map = mapOn<{ n: number }>(fake);
  await map.set('k', { n: 1 });
  fake.calls.length = 0;
  await map.update('k', (cur) => ({ n: cur!.n + 1 }));
  assert.deepEqual(fake.calls, ['get', 'replace']);
  assert.equal(ttlOf(fake, 'k'), 0);
  fake.calls.length = 0;
  assert.deepEqual(await map.update('k', (cur) => cur), { n: 2 });
  assert.deepEqual(fake.calls, ['get'], 'same value, same (no) expiry: nothing to write');
});

test('a replace that lost the race is retried on the new value (the function runs again)', async () => {
  const fake = new FakeIMap();
  const x = mapOn<number>(fake);
  const y = mapOn<number>(fake);
  await x.set('k', 10);
  const hold = gate();
  fake.gates.set('replace', hold.promise);
  let runs = 0;
  const pending = x.update('k', (n) => (runs++, n! * 2)); // reads 10, then waits at replace
  await new Promise((r) => setImmediate(r));
  fake.gates.clear(); // y's own replace must not wait
  await y.update('k', (n) => n! + 1); // 11
  hold.open();
  assert.equal(await pending, 22, 'doubled the value y wrote, not the one x read first');
  assert.equal(runs, 2);
});

test('a stale setTtl landing on another writer\'s value is repaired with that value\'s TTL', async () => {
  const fake = new FakeIMap();
  const x = mapOn<number>(fake);
  const y = mapOn<number>(fake);
  await x.set('k', 1, 60_000);
  // x replaces (the member drops the TTL), then its setTtl is held back...
  const hold = gate();
  fake.gates.set('setTtl', hold.promise);
  const xDone = x.update('k', (n) => n! + 1, 5000);
  while (!fake.calls.includes('setTtl')) await new Promise((r) => setImmediate(r));
  // ...while y replaces x's value with one that never expires (no setTtl needed)...
  await y.update('k', (n) => n! + 1);
  assert.equal(ttlOf(fake, 'k'), 0);
  // ...then x's setTtl lands on y's value; x must notice and put y's "forever" back.
  hold.open();
  assert.equal(await xDone, 2);
  assert.deepEqual(parseEntry(fake.entries.get('k')!.value), { value: 3, expiresAt: 0 });
  assert.equal(ttlOf(fake, 'k'), 0, 'the final value keeps no TTL');
});

test('an update that keeps losing gives up with GRID_UNAVAILABLE after updateTimeoutMs', async () => {
  const fake = new FakeIMap();
  const map = mapOn<number>(fake, 200);
  await map.set('k', 0);
  const imap = fake.asIMap();
  let spoiler = 0;
  const started = Date.now();
  await assert.rejects(
    map.update('k', (n) => {
      void imap.set('k', encodeEntry(1000 + ++spoiler, 0)); // someone else always writes first
      return n! + 1;
    }),
    (err: unknown) => err instanceof FscError && err.code === 'GRID_UNAVAILABLE' && err.retriable && /gave up after \d+ attempts/.test(err.message),
  );
  assert.ok(Date.now() - started < 1000);
});

test('an expired entry reads as absent; one whose member TTL was lost is removed by the reader', async () => {
  const fake = new FakeIMap();
  const map = mapOn<string>(fake);
  const now = Date.now();
  fake.entries.set('just-expired', { value: encodeEntry('v', now - 10), ttl: 1000 });
  fake.entries.set('leaked', { value: encodeEntry('v', now - 60_000), ttl: 0 });
  assert.equal(await map.get('just-expired'), undefined);
  assert.equal(await map.get('leaked'), undefined);
  await new Promise((r) => setImmediate(r));
  assert.ok(fake.entries.has('just-expired'), 'left to the member');
  assert.equal(fake.entries.has('leaked'), false, 'removed (compare-and-remove)');
  assert.equal(await map.update('just-expired', (cur) => (cur === undefined ? 'fresh' : 'stale')), 'fresh');
});
