import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BusRecord, MessageBus } from '../bus.ts';
import { sleep, uniqueName, waitFor } from './helpers.ts';

/**
 * The MessageBus contract, run against every implementation (InProcessBus here, Kafka in the
 * integration tier). It holds the guarantees stated on the interface and nothing stronger:
 * delivery is at-least-once, so duplicates are tolerated; order is only promised per key.
 * One more requirement the suite relies on: `subscribe` resolves once the subscription is live, so
 * records published after it resolves reach it. Every test uses fresh topic and group names.
 */
export interface BusContractOptions {
  /** A bus for the suite; closed after it. */
  create(): Promise<MessageBus>;
  /** Upper bound for a record to reach a subscriber. */
  deliveryTimeoutMs?: number;
  /** How long to watch before concluding that something is not delivered. */
  quietMs?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function record(key: string, value: string): BusRecord {
  return { key, value: encoder.encode(value) };
}

/** A handler that remembers every record it was given, in order, as "key/value" strings. */
export function collector(): { handler: (records: BusRecord[]) => Promise<void>; seen: string[]; batches: string[][] } {
  const seen: string[] = [];
  const batches: string[][] = [];
  return {
    seen,
    batches,
    handler: async (records) => {
      const batch = records.map((r) => `${r.key}/${decoder.decode(r.value)}`);
      batches.push(batch);
      seen.push(...batch);
    },
  };
}

/** First occurrence of each entry, in delivery order: what at-least-once delivery must get right. */
export function firstOccurrences(seen: readonly string[]): string[] {
  return [...new Set(seen)];
}

export function describeBusContract(name: string, options: BusContractOptions): void {
  const deliveryMs = options.deliveryTimeoutMs ?? 5000;
  const quietMs = options.quietMs ?? 300;

  describe(`MessageBus contract: ${name}`, () => {
    let bus: MessageBus;
    before(async () => {
      bus = await options.create();
    });
    after(async () => {
      await bus.close();
    });

    test('records of one key arrive in publish order across many publishes and batch sizes', async () => {
      const topic = uniqueName('t-order');
      await bus.ensureTopics([topic]);
      const c = collector();
      const sub = await bus.subscribe(topic, uniqueName('g'), c.handler);
      const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
      const next = new Map(keys.map((k) => [k, 0]));
      const expected = new Map<string, string[]>(keys.map((k) => [k, []]));
      const make = (key: string): BusRecord => {
        const n = next.get(key)!;
        next.set(key, n + 1);
        expected.get(key)!.push(`${key}/${n}`);
        return record(key, String(n));
      };
      // 300 publishes of 1-3 records with interleaved keys, then one publish larger than any batch limit.
      for (let i = 0; i < 300; i++) {
        const records: BusRecord[] = [];
        for (let j = 0; j <= i % 3; j++) records.push(make(keys[(i * 7 + j) % keys.length]!));
        await bus.publish(topic, records);
      }
      const big: BusRecord[] = [];
      for (let i = 0; i < 1200; i++) big.push(make(keys[i % 2]!));
      await bus.publish(topic, big);
      const total = [...expected.values()].reduce((n, list) => n + list.length, 0);
      await waitFor(`${total} records`, () => new Set(c.seen).size >= total, deliveryMs);
      const got = firstOccurrences(c.seen);
      for (const key of keys) {
        assert.deepEqual(got.filter((v) => v.startsWith(`${key}/`)), expected.get(key), `order of key ${key}`);
      }
      await sub.close();
    });

    test('two groups on one topic both get every record', async () => {
      const topic = uniqueName('t-groups');
      await bus.ensureTopics([topic]);
      const a = collector();
      const b = collector();
      const subA = await bus.subscribe(topic, uniqueName('ga'), a.handler);
      const subB = await bus.subscribe(topic, uniqueName('gb'), b.handler);
      const expected: string[] = [];
      for (let i = 0; i < 50; i++) {
        await bus.publish(topic, [record('k', String(i))]);
        expected.push(`k/${i}`);
      }
      await waitFor('group a', () => new Set(a.seen).size >= 50, deliveryMs);
      await waitFor('group b', () => new Set(b.seen).size >= 50, deliveryMs);
      assert.deepEqual(firstOccurrences(a.seen), expected);
      assert.deepEqual(firstOccurrences(b.seen), expected);
      await subA.close();
      await subB.close();
    });

    test('values arrive byte for byte, including empty and binary values', async () => {
      const topic = uniqueName('t-bytes');
      await bus.ensureTopics([topic]);
      const got: BusRecord[] = [];
      const sub = await bus.subscribe(topic, uniqueName('g'), async (records) => {
        got.push(...records.map((r) => ({ key: r.key, value: Uint8Array.from(r.value) })));
      });
      const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
      await bus.publish(topic, [
        { key: 'bin', value: binary },
        { key: 'empty', value: new Uint8Array(0) },
        { key: 'ключ-键', value: encoder.encode('текст 文本 🙂') },
      ]);
      await bus.publish(topic, []);
      await waitFor('3 records', () => got.length >= 3, deliveryMs);
      assert.deepEqual(got.slice(0, 3), [
        { key: 'bin', value: binary },
        { key: 'empty', value: new Uint8Array(0) },
        { key: 'ключ-键', value: encoder.encode('текст 文本 🙂') },
      ]);
      await sub.close();
    });

    test('a failing handler gets the same records again and nothing later is delivered until it succeeds', async () => {
      const topic = uniqueName('t-retry');
      await bus.ensureTopics([topic]);
      const FAILING = 5;
      const COUNT = 12;
      let failuresLeft = 3;
      let processedUpTo = -1; // highest n such that 0..n were all handled by a handler that resolved
      const invocations: { seqs: number[]; failed: boolean }[] = [];
      const violations: string[] = []; // collected, not thrown: a throw here would just look like a handler failure
      const sub = await bus.subscribe(topic, uniqueName('g'), async (records) => {
        const seqs = records.map((r) => Number(decoder.decode(r.value)));
        const call = { seqs, failed: false };
        invocations.push(call);
        // No gap: a batch starts at or before the first record not yet handled successfully...
        if (seqs[0]! > processedUpTo + 1) violations.push(`batch ${seqs} skips records after ${processedUpTo}`);
        // ...and continues without holes (one key, so publish order).
        if (seqs.some((n, i) => i > 0 && n !== seqs[i - 1]! + 1)) violations.push(`batch ${seqs} has a hole`);
        if (seqs.includes(FAILING) && failuresLeft > 0) {
          failuresLeft--;
          call.failed = true;
          throw new Error('handler failure (expected by the test)');
        }
        processedUpTo = Math.max(processedUpTo, seqs.at(-1)!);
      });
      for (let n = 0; n < FAILING; n++) await bus.publish(topic, [record('same-key', String(n))]);
      await waitFor('records before the failing one', () => processedUpTo === FAILING - 1, deliveryMs);
      await bus.publish(topic, [record('same-key', String(FAILING))]);
      await waitFor('first failure', () => failuresLeft < 3, deliveryMs);
      // Published while the failing record waits for redelivery.
      for (let n = FAILING + 1; n < COUNT; n++) await bus.publish(topic, [record('same-key', String(n))]);
      await waitFor('all records handled', () => processedUpTo === COUNT - 1, deliveryMs + 3 * 2000);
      assert.deepEqual(violations, []);
      const failed = invocations.filter((c) => c.failed);
      assert.equal(failed.length, 3, 'the failing batch was retried until it succeeded');
      // Each failure was followed by a redelivery starting at or before the failed batch's first record.
      for (let i = 0; i < invocations.length; i++) {
        if (!invocations[i]!.failed) continue;
        const retry = invocations[i + 1];
        assert.ok(retry, 'a failed batch is redelivered');
        assert.ok(retry.seqs[0]! <= invocations[i]!.seqs[0]!, `redelivery ${retry.seqs} starts after failed ${invocations[i]!.seqs}`);
        assert.ok(retry.seqs.includes(FAILING), 'the failing record is redelivered');
      }
      // Nothing after the failing record was handled successfully before it was.
      const firstSuccessWithFailing = invocations.findIndex((c) => !c.failed && c.seqs.includes(FAILING));
      assert.ok(firstSuccessWithFailing >= 0);
      for (const call of invocations.slice(0, firstSuccessWithFailing)) {
        assert.ok(call.failed || Math.max(...call.seqs) < FAILING, `records after ${FAILING} handled early: ${call.seqs}`);
      }
      await sub.close();
    });

    test('a failing group does not hold up another group on the same topic', async () => {
      const topic = uniqueName('t-isolated-groups');
      await bus.ensureTopics([topic]);
      const healthy = collector();
      const failing = await bus.subscribe(topic, uniqueName('g-failing'), async () => {
        throw new Error('always fails (expected by the test)');
      });
      const ok = await bus.subscribe(topic, uniqueName('g-ok'), healthy.handler);
      for (let i = 0; i < 10; i++) await bus.publish(topic, [record('k', String(i))]);
      await waitFor('healthy group', () => new Set(healthy.seen).size >= 10, deliveryMs);
      await failing.close();
      await ok.close();
    });

    test('records on a topic nobody subscribes to reach no other topic', async () => {
      const lonely = uniqueName('t-lonely');
      const watched = uniqueName('t-watched');
      await bus.ensureTopics([lonely, watched]);
      await bus.publish(lonely, [record('k', 'lonely-0'), record('k', 'lonely-1')]);
      const c = collector();
      const sub = await bus.subscribe(watched, uniqueName('g'), c.handler);
      await bus.publish(lonely, [record('k', 'lonely-2')]);
      await bus.publish(watched, [record('k', 'watched-0')]);
      await waitFor('watched record', () => c.seen.length >= 1, deliveryMs);
      await sleep(quietMs);
      assert.deepEqual(firstOccurrences(c.seen), ['k/watched-0']);
      await sub.close();
    });

    test('close() of a subscription stops delivery to it', async () => {
      const topic = uniqueName('t-close');
      await bus.ensureTopics([topic]);
      const closing = collector();
      const witness = collector();
      const sub = await bus.subscribe(topic, uniqueName('g-closing'), closing.handler);
      const witnessSub = await bus.subscribe(topic, uniqueName('g-witness'), witness.handler);
      await bus.publish(topic, [record('k', 'before')]);
      await waitFor('record before close', () => closing.seen.includes('k/before'), deliveryMs);
      await sub.close();
      await bus.publish(topic, [record('k', 'after')]);
      // The witness proves the record was published and delivered to whoever was still subscribed.
      await waitFor('witness', () => witness.seen.includes('k/after'), deliveryMs);
      await sleep(quietMs);
      assert.ok(!closing.seen.includes('k/after'), 'closed subscription received a record');
      await witnessSub.close();
    });

    test('close() of a subscription whose handler keeps failing stops the redeliveries', async () => {
      const topic = uniqueName('t-close-failing');
      await bus.ensureTopics([topic]);
      let calls = 0;
      const sub = await bus.subscribe(topic, uniqueName('g'), async () => {
        calls++;
        throw new Error('always fails (expected by the test)');
      });
      await bus.publish(topic, [record('k', 'poison')]);
      await waitFor('two attempts', () => calls >= 2, deliveryMs);
      await sub.close();
      await sleep(quietMs); // an attempt already under way when close() was called may still finish
      const callsAfterClose = calls;
      await sleep(quietMs);
      assert.equal(calls, callsAfterClose, 'the closed subscription is still being retried');
    });
  });
}
