import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FscError } from '@fscpush/core';
import { createHazelcastGrid, type HazelcastGrid, type HazelcastGridOptions } from '../src/hazelcast-grid.ts';
import { describeGridContract } from '@fscpush/ports/contracts/grid-contract';
import { sleep, uniqueName } from '@fscpush/ports/contracts/helpers';
import { hazelcastEnv, rawHazelcast, testLogger } from './hazelcast-env.ts';

/**
 * HazelcastGrid against the dev stack's member (cluster tier): the SharedGrid contract, then what only a
 * shared engine shows — two clients (two push-group processes) on the same maps, server-side expiry,
 * bounded failures. Map names are unique per test (uniqueName), under the prefix "fscpush-test.".
 */
const env = hazelcastEnv();
const PREFIX = 'fscpush-test.';

function grid(extra: Partial<HazelcastGridOptions> = {}): Promise<HazelcastGrid> {
  const log = testLogger();
  return createHazelcastGrid({ ...env, mapPrefix: PREFIX, connectTimeoutMs: 10_000, ...(log && { log }), ...extra });
}

const isFscError = (code: string) => (err: unknown) => err instanceof FscError && err.code === code;

describeGridContract('HazelcastGrid', { create: () => grid() });

describe('HazelcastGrid: two clients, as two push-group processes', () => {
  let a: HazelcastGrid;
  let b: HazelcastGrid;
  let raw: Awaited<ReturnType<typeof rawHazelcast>>;
  before(async () => {
    [a, b, raw] = await Promise.all([grid({ clientName: 'grid-test-a' }), grid({ clientName: 'grid-test-b' }), rawHazelcast(env.clusterName, env.members)]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close(), raw.close()]);
  });

  test('each sees the other\'s writes and deletes at once', async () => {
    const name = uniqueName('shared');
    const ma = a.map<{ node: string; since: number }>(name);
    const mb = b.map<{ node: string; since: number }>(name);
    await ma.set('u1', { node: 'connector-1', since: 1 });
    assert.deepEqual(await mb.get('u1'), { node: 'connector-1', since: 1 });
    await mb.update('u1', (cur) => cur && { ...cur, since: cur.since + 1 });
    assert.deepEqual(await ma.get('u1'), { node: 'connector-1', since: 2 });
    await mb.delete('u1');
    assert.equal(await ma.get('u1'), undefined);
  });

  test('2 × 200 concurrent updates of one key from both clients lose nothing', async () => {
    const name = uniqueName('cas');
    const ma = a.map<number>(name);
    const mb = b.map<number>(name);
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? ma : mb).update('counter', (n) => (n ?? 0) + 1)),
    );
    const ms = Date.now() - started;
    assert.equal(await ma.get('counter'), 400);
    assert.deepEqual([...results].sort((x, y) => x! - y!), Array.from({ length: 400 }, (_, i) => i + 1), 'each update saw a distinct value');
    console.log(`# 400 contended updates (2 clients, 1 key): ${ms} ms`);
  });

  test('2 × 200 concurrent increments from both clients lose nothing; the member keeps the creation TTL', async () => {
    const name = uniqueName('inc');
    const ma = a.map<number>(name);
    const mb = b.map<number>(name);
    await ma.increment('c', 1, 60_000);
    const started = Date.now();
    await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? ma : mb).increment('c', 1, 5000)));
    console.log(`# 400 contended increments (2 clients, 1 key): ${Date.now() - started} ms`);
    assert.equal(await mb.get('c'), 401);
    // replaceIfSame drops an entry's TTL on the member: the increments must have put the first one back
    const view = await (await raw.map(PREFIX + name)).getEntryView('c');
    const ttl = view.ttl.toNumber();
    assert.ok(ttl > 50_000 && ttl <= 61_000, `member-side TTL is what remains of the first one, padded (got ${view.ttl.toString()} ms)`);
  });

  test('a counter incremented from both clients expires at its creation TTL, on the member too', async () => {
    const name = uniqueName('inc-ttl');
    const ma = a.map<number>(name);
    const mb = b.map<number>(name);
    const ttl = 2500;
    await ma.increment('c', 1, ttl);
    const created = Date.now(); // the counter expires at or before created + ttl
    let n = 1;
    for (let i = 0; Date.now() - created < ttl - 1000; i++) {
      n = await (i % 2 === 0 ? mb : ma).increment('c', 1, 60_000);
      await sleep(50);
    }
    assert.ok(n > 5, `${n} increments`);
    assert.equal(await ma.get('c'), n);
    await sleep(created + ttl - Date.now() + 5);
    assert.equal(await mb.get('c'), undefined, 'expired for readers at the creation TTL');
    await sleep(2100); // the member rounds TTLs to whole seconds; the grid pads them by 1 s
    assert.equal(await (await raw.map(PREFIX + name)).containsKey('c'), false, 'and deleted by the member');
    assert.equal(await mb.increment('c', 1, ttl), 1, 'a new counter starts');
  });

  test('racing updates with different TTLs: the member ends with the TTL of the final value', async () => {
    const name = uniqueName('ttl-race');
    const ma = a.map<number>(name);
    const mb = b.map<number>(name);
    const imap = await raw.map(PREFIX + name);
    for (let round = 0; round < 10; round++) {
      const key = `k${round}`;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? ma : mb).update(key, (n) => (n ?? 0) + 1, i % 3 === 0 ? undefined : i % 3 === 1 ? 30_000 : 90_000),
        ),
      );
      const view = await imap.getEntryView(key);
      const { e } = JSON.parse(view.value) as { e: number };
      const ttl = view.ttl.toNumber();
      if (e === 0) assert.ok(ttl > 1e15, `round ${round}: value without expiry, member TTL ${ttl}`);
      else {
        const expiresOnMember = view.expirationTime.toNumber();
        assert.ok(expiresOnMember >= e && expiresOnMember <= e + 2100, `round ${round}: member expires at ${expiresOnMember}, value at ${e}`);
      }
    }
  });

  test('entries expire on the member, not only for readers', async () => {
    const name = uniqueName('ttl');
    const map = a.map<string>(name);
    const imap = await raw.map(PREFIX + name);
    await map.set('set', 'v', 300);
    await map.update('updated', () => 'v', 300);
    await map.set('replaced', 'v1');
    await map.update('replaced', () => 'v2', 300); // a replace, then setTtl
    await map.set('forever', 'v');
    for (const key of ['set', 'updated', 'replaced', 'forever']) assert.equal(await imap.containsKey(key), true, key);
    await sleep(400);
    assert.equal(await map.get('set'), undefined);
    assert.equal(await b.map<string>(name).get('replaced'), undefined, 'the other client agrees');
    await sleep(2200); // the member rounds TTLs to whole seconds; the grid pads them by 1 s
    for (const key of ['set', 'updated', 'replaced']) assert.equal(await imap.containsKey(key), false, `${key} deleted on the member`);
    assert.equal(await imap.containsKey('forever'), true);
  });

  test('values are JSON strings in IMap <prefix><name>, readable by any client', async () => {
    const name = uniqueName('json');
    await a.map<{ code: string; attempts: number }>(name).set('138', { code: '0421', attempts: 0 });
    const stored = await (await raw.map(PREFIX + name)).get('138');
    assert.equal(stored, '{"e":0,"v":{"code":"0421","attempts":0}}');
    await a.map<number>(name).set('with-ttl', 7, 60_000);
    const withTtl = JSON.parse((await (await raw.map(PREFIX + name)).get('with-ttl'))!) as { e: number; v: number };
    assert.equal(withTtl.v, 7);
    assert.ok(Math.abs(withTtl.e - (Date.now() + 60_000)) < 5000, 'e is the expiry in epoch ms');
  });

  test('a value that is not JSON data is refused with INVALID_DATA and nothing is written', async () => {
    const map = a.map<unknown>(uniqueName('bad'));
    await assert.rejects(map.set('k', 10n), isFscError('INVALID_DATA'));
    await assert.rejects(map.update('k', () => () => 1), isFscError('INVALID_DATA'));
    assert.equal(await map.get('k'), undefined);
    await map.set('s', 'text');
    await assert.rejects(map.increment('s', 1, 1000), isFscError('INVALID_DATA'));
  });
});

describe('HazelcastGrid: bounded failures', () => {
  test('no member at the address: GRID_UNAVAILABLE after connectTimeoutMs', async () => {
    const port = await closedPort();
    const started = Date.now();
    await assert.rejects(grid({ members: [`127.0.0.1:${port}`], connectTimeoutMs: 1500 }), isFscError('GRID_UNAVAILABLE'));
    const ms = Date.now() - started;
    assert.ok(ms >= 1400 && ms < 4000, `failed after ${ms} ms`);
  });

  test('wrong cluster name: GRID_UNAVAILABLE after connectTimeoutMs', async () => {
    await assert.rejects(grid({ clusterName: uniqueName('no-such-cluster'), connectTimeoutMs: 1500 }), isFscError('GRID_UNAVAILABLE'));
  });

  test('bad options: CONFIG_INVALID naming every problem', async () => {
    await assert.rejects(grid({ members: ['nohostport'], operationTimeoutMs: 0 }), (err: unknown) => {
      assert.ok(err instanceof FscError && err.code === 'CONFIG_INVALID');
      assert.match(err.message, /nohostport/);
      assert.match(err.message, /operationTimeoutMs/);
      return true;
    });
  });

  test('calls after close fail with SHUTTING_DOWN; close is idempotent', async () => {
    const g = await grid();
    const map = g.map<number>(uniqueName('closed'));
    await map.set('k', 1);
    await g.close();
    await g.close();
    await assert.rejects(map.get('k'), isFscError('SHUTTING_DOWN'));
    await assert.rejects(map.increment('k', 1, 1000), isFscError('SHUTTING_DOWN'));
  });
});

describe('HazelcastGrid: latency (sequential, one client, loopback)', () => {
  let g: HazelcastGrid;
  before(async () => {
    g = await grid();
  });
  after(async () => {
    await g.close();
  });

  test('per-operation latency', async () => {
    const map = g.map<{ n: number }>(uniqueName('lat'));
    const counters = g.map<number>(uniqueName('lat-c'));
    const N = 1000;
    const report: string[] = [];
    const measure = async (what: string, op: (i: number) => Promise<unknown>): Promise<void> => {
      for (let i = 0; i < 50; i++) await op(i); // warm-up
      const times: number[] = [];
      for (let i = 0; i < N; i++) {
        const t = process.hrtime.bigint();
        await op(i);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      times.sort((x, y) => x - y);
      const pct = (p: number): string => times[Math.min(N - 1, Math.floor((N * p) / 100))]!.toFixed(3);
      report.push(`${what}: p50 ${pct(50)} ms, p99 ${pct(99)} ms, ${Math.round(N / (times.reduce((s, x) => s + x, 0) / 1000))} ops/s`);
    };
    await measure('set', (i) => map.set(`k${i % 100}`, { n: i }));
    await measure('get', (i) => map.get(`k${i % 100}`));
    await measure('set+ttl', (i) => map.set(`t${i % 100}`, { n: i }, 60_000));
    await measure('update (no ttl)', (i) => map.update(`k${i % 100}`, (cur) => ({ n: (cur?.n ?? 0) + 1 })));
    await measure('update (ttl)', (i) => map.update(`t${i % 100}`, (cur) => ({ n: (cur?.n ?? 0) + 1 }), 60_000));
    await measure('increment', (i) => counters.increment(`c${i % 100}`, 1, 60_000));
    const concurrent = Date.now();
    await Promise.all(Array.from({ length: 5000 }, (_, i) => map.get(`k${i % 100}`)));
    report.push(`5000 concurrent gets: ${Date.now() - concurrent} ms`);
    for (const line of report) console.log(`# ${line}`);
  });
});

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
