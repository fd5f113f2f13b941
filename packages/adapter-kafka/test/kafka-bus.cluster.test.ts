import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { deliveryTopic, FscError } from '@fscpush/core';
import { Kafka, logLevel } from 'kafkajs';
import type { BusRecord } from '@fscpush/ports';
import { createKafkaBus, type KafkaBus, type KafkaBusOptions } from '../src/kafka-bus.ts';
import { collector, describeBusContract, firstOccurrences, record } from '@fscpush/ports/contracts/bus-contract';
import { sleep, uniqueName, waitFor } from '@fscpush/ports/contracts/helpers';

/**
 * KafkaBus against the dev stack's Kafka (cluster tier): the MessageBus contract, then what Kafka adds —
 * partitions, offsets committed after the handler, group resume, topic settings — and measured numbers.
 * Brokers come from FSCPUSH_KAFKA_BROKERS (`eval "$(scripts/devstack env)"`); without it the run fails.
 * The broker-restart case starts its own broker: kafka-bus-restart.cluster.test.ts.
 */
const brokersEnv = process.env['FSCPUSH_KAFKA_BROKERS'];
const decoder = new TextDecoder();

if (!brokersEnv) {
  test('Kafka brokers configured', () => assert.fail('set FSCPUSH_KAFKA_BROKERS (eval "$(scripts/devstack env)" after scripts/devstack up kafka)'));
} else {
  const brokers = brokersEnv.split(',');
  const options = (extra: Partial<KafkaBusOptions> = {}): KafkaBusOptions => ({ brokers, clientId: uniqueName('bus-test'), ...extra });
  const isBusError = (code: string) => (err: unknown) => err instanceof FscError && err.code === code;

  // One partition: the suite's byte-for-byte test expects records of *different* keys in publish order,
  // which Kafka keeps only within a partition. Multi-partition order (per key) is tested below.
  describeBusContract('KafkaBus', { create: async () => createKafkaBus(options({ partitions: 1 })), deliveryTimeoutMs: 15_000, quietMs: 1000 });

  describe('KafkaBus on Kafka', () => {
    let bus: KafkaBus;
    before(() => {
      bus = createKafkaBus(options({ partitions: 6, closeDrainMs: 300 }));
    });
    after(async () => {
      await bus.close();
    });

    test('per-key order holds across 6 partitions, 40 keys and 10 000 records from concurrent calls', async (t) => {
      const topic = uniqueName('t-keys');
      await bus.ensureTopics([topic]);
      const c = collector();
      const sub = await bus.subscribe(topic, uniqueName('g'), c.handler);
      const next = new Map<string, number>();
      const calls: Promise<void>[] = [];
      const started = performance.now();
      // 1000 calls issued without waiting for each other: the bus keeps call order per key.
      for (let call = 0; call < 1000; call++) {
        const records: BusRecord[] = [];
        for (let j = 0; j < 10; j++) {
          const key = `key-${(call * 7 + j * 13) % 40}`;
          const n = next.get(key) ?? 0;
          next.set(key, n + 1);
          records.push(record(key, String(n)));
        }
        calls.push(bus.publish(topic, records));
      }
      await Promise.all(calls);
      const published = performance.now();
      await waitFor('10 000 records', () => new Set(c.seen).size >= 10_000, 30_000);
      const handled = performance.now();
      const perKey = new Map<string, number[]>();
      for (const entry of firstOccurrences(c.seen)) {
        const [key, n] = entry.split('/') as [string, string];
        perKey.set(key, [...(perKey.get(key) ?? []), Number(n)]);
      }
      assert.equal(perKey.size, 40);
      for (const [key, seqs] of perKey) assert.deepEqual(seqs, [...seqs.keys()], `order of ${key}`);
      t.diagnostic(`10 000 records in 1000 concurrent calls: published in ${Math.round(published - started)} ms, all handled after ${Math.round(handled - started)} ms`);
      await sub.close();
    });

    test('a handler stuck when its subscriber closes (a crash) leaves its records to the next member of the group', async () => {
      const topic = uniqueName('t-crash');
      const group = uniqueName('g');
      await bus.ensureTopics([topic]);
      const handled: string[] = [];
      const first = await bus.subscribe(topic, group, async (records) => {
        for (const r of records) {
          if (decoder.decode(r.value) === '5') await new Promise(() => {}); // never resolves: dies mid-handler
          handled.push(decoder.decode(r.value));
        }
      });
      for (let n = 0; n < 5; n++) await bus.publish(topic, [record('k', String(n))]);
      await waitFor('0..4 handled', () => handled.length === 5, 15_000);
      await bus.publish(topic, [record('k', '5')]);
      await sleep(500); // the handler is now stuck on 5
      const closeStarted = Date.now();
      await first.close();
      assert.ok(Date.now() - closeStarted < 5000, `close took ${Date.now() - closeStarted} ms despite the stuck handler`);
      for (let n = 6; n < 10; n++) await bus.publish(topic, [record('k', String(n))]); // nobody subscribed now
      const c = collector();
      const second = await bus.subscribe(topic, group, c.handler);
      await waitFor('5..9 redelivered', () => new Set(c.seen).size >= 5, 15_000);
      await sleep(300);
      // 0..4 were committed after their handler call resolved; 5 never was.
      assert.deepEqual(firstOccurrences(c.seen), ['k/5', 'k/6', 'k/7', 'k/8', 'k/9']);
      await second.close();
    });

    test('a subscriber process killed mid-handler (SIGKILL, no LeaveGroup): its restart in the same group gets every unhandled record', async (t) => {
      const topic = uniqueName('t-kill');
      const group = uniqueName('g');
      await bus.ensureTopics([topic]);
      const member = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', fileURLToPath(new URL('./fixtures/kafka-bus-member.ts', import.meta.url))], {
        env: { ...process.env, BROKERS: brokers.join(','), TOPIC: topic, GROUP: group, SESSION_TIMEOUT_MS: '6000' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      member.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const exited = new Promise((resolve) => member.once('exit', resolve));
      try {
        await waitFor('member ready', () => output.includes('ready\n'), 30_000);
        for (let n = 0; n < 5; n++) await bus.publish(topic, [record('k', String(n))]);
        await waitFor('0..4 handled by the member', () => output.includes('handled 4\n'), 15_000);
        await bus.publish(topic, [record('k', 'stuck')]);
        await sleep(300);
      } finally {
        member.kill('SIGKILL');
        await exited;
      }
      for (let n = 5; n < 8; n++) await bus.publish(topic, [record('k', String(n))]);
      const c = collector();
      const joinStarted = Date.now();
      const restartedBus = createKafkaBus(options({ sessionTimeoutMs: 6000 }));
      try {
        await restartedBus.subscribe(topic, group, c.handler);
        const joinMs = Date.now() - joinStarted;
        await waitFor('stuck, 5..7', () => new Set(c.seen).size >= 4, 15_000);
        await sleep(300);
        assert.deepEqual(firstOccurrences(c.seen), ['k/stuck', 'k/5', 'k/6', 'k/7']);
        t.diagnostic(`joining the group of a killed member took ${joinMs} ms (its session timeout: 6000 ms)`);
      } finally {
        await restartedBus.close();
      }
    });

    test('a handler that keeps failing commits nothing from the failing record on; the next member gets it', async () => {
      const topic = uniqueName('t-fail');
      const group = uniqueName('g');
      await bus.ensureTopics([topic]);
      let attempts = 0;
      const handled: string[] = [];
      const first = await bus.subscribe(topic, group, async (records) => {
        if (records.some((r) => decoder.decode(r.value) === '3')) {
          attempts++;
          throw new Error('cannot handle 3 (expected by the test)');
        }
        handled.push(...records.map((r) => decoder.decode(r.value)));
      });
      for (let n = 0; n < 3; n++) await bus.publish(topic, [record('k', String(n))]);
      await waitFor('0..2 handled', () => handled.length === 3, 15_000);
      for (let n = 3; n < 6; n++) await bus.publish(topic, [record('k', String(n))]);
      await waitFor('three attempts on 3', () => attempts >= 3, 15_000);
      assert.deepEqual(handled, ['0', '1', '2'], 'nothing after the failing record was handled');
      await first.close();
      const c = collector();
      const second = await bus.subscribe(topic, group, c.handler);
      await waitFor('3..5', () => new Set(c.seen).size >= 3, 15_000);
      assert.deepEqual(firstOccurrences(c.seen), ['k/3', 'k/4', 'k/5']);
      await second.close();
    });

    test('a new group starts at the end; a known group resumes from its commits, also when it handled nothing yet', async () => {
      const topic = uniqueName('t-resume');
      const group = uniqueName('g');
      await bus.ensureTopics([topic]);
      await bus.publish(topic, [record('k', 'before-first-subscribe')]);
      const first = collector();
      const sub1 = await bus.subscribe(topic, group, first.handler);
      await sub1.close(); // a member that joined and died before any record arrived
      await bus.publish(topic, [record('k', 'while-down-1'), record('k', 'while-down-2')]);
      const second = collector();
      const sub2 = await bus.subscribe(topic, group, second.handler);
      await bus.publish(topic, [record('k', 'after')]);
      await waitFor('3 records', () => new Set(second.seen).size >= 3, 15_000);
      await sleep(300);
      assert.deepEqual(first.seen, []);
      assert.deepEqual(firstOccurrences(second.seen), ['k/while-down-1', 'k/while-down-2', 'k/after']);
      await sub2.close();
    });

    test("a connector's delivery topic reaches only its own subscriber", async () => {
      const nodeA = uniqueName('node-a');
      const nodeB = uniqueName('node-b');
      const a = collector();
      const b = collector();
      await bus.ensureTopics([deliveryTopic(nodeA), deliveryTopic(nodeB)]);
      const subA = await bus.subscribe(deliveryTopic(nodeA), `connector-${nodeA}`, a.handler);
      const subB = await bus.subscribe(deliveryTopic(nodeB), `connector-${nodeB}`, b.handler);
      for (let i = 0; i < 20; i++) {
        await bus.publish(deliveryTopic(nodeA), [record(nodeA, `a${i}`)]);
        await bus.publish(deliveryTopic(nodeB), [record(nodeB, `b${i}`)]);
      }
      await waitFor('both', () => new Set(a.seen).size >= 20 && new Set(b.seen).size >= 20, 15_000);
      await sleep(300);
      assert.ok(firstOccurrences(a.seen).every((v) => v.startsWith(`${nodeA}/a`)));
      assert.ok(firstOccurrences(b.seen).every((v) => v.startsWith(`${nodeB}/b`)));
      assert.equal(firstOccurrences(a.seen).length, 20);
      assert.equal(firstOccurrences(b.seen).length, 20);
      await subA.close();
      await subB.close();
    });

    test('two groups on one topic each get every record, in per-key order, across partitions', async () => {
      const topic = uniqueName('t-two-groups');
      await bus.ensureTopics([topic]);
      const a = collector();
      const b = collector();
      const subA = await bus.subscribe(topic, uniqueName('ga'), a.handler);
      const subB = await bus.subscribe(topic, uniqueName('gb'), b.handler);
      const expected: string[] = [];
      for (let i = 0; i < 200; i++) {
        const key = `k${i % 10}`;
        expected.push(`${key}/${i}`);
        await bus.publish(topic, [record(key, String(i))]);
      }
      await waitFor('both groups', () => new Set(a.seen).size >= 200 && new Set(b.seen).size >= 200, 15_000);
      for (const got of [firstOccurrences(a.seen), firstOccurrences(b.seen)]) {
        assert.deepEqual([...got].sort(), [...expected].sort());
        for (let k = 0; k < 10; k++) {
          const key = `k${k}/`;
          assert.deepEqual(got.filter((v) => v.startsWith(key)), expected.filter((v) => v.startsWith(key)));
        }
      }
      await subA.close();
      await subB.close();
    });

    test('ensureTopics is idempotent, also across processes, and creates topics with the configured partitions and retention', async () => {
      const existing = uniqueName('t-ensure');
      const fresh = uniqueName('t-ensure');
      await bus.ensureTopics([existing]);
      await bus.ensureTopics([existing, existing]);
      const other = createKafkaBus(options({ partitions: 2, retentionMs: 120_000 })); // a second process' view
      try {
        await other.ensureTopics([existing, fresh]); // one exists (left as it is), one is new
        await Promise.all([other.ensureTopics([fresh]), other.ensureTopics([fresh])]);
      } finally {
        await other.close();
      }
      const admin = new Kafka({ clientId: uniqueName('inspect'), brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const meta = await admin.fetchTopicMetadata({ topics: [existing, fresh] });
        const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
        assert.deepEqual(partitions, { [existing]: 6, [fresh]: 2 });
        const configs = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [existing, fresh].map((name) => ({ type: 2 /* TOPIC */, name, configNames: ['retention.ms'] })),
        });
        const retention = Object.fromEntries(configs.resources.map((r) => [r.resourceName, r.configEntries[0]?.configValue]));
        assert.deepEqual(retention, { [existing]: '3600000', [fresh]: '120000' });
      } finally {
        await admin.disconnect();
      }
    });

    test('bad names are refused with INVALID_DATA; one group cannot subscribe twice to a topic on one bus', async () => {
      await assert.rejects(bus.ensureTopics(['no spaces']), isBusError('INVALID_DATA'));
      await assert.rejects(bus.publish('a/b', [record('k', 'v')]), isBusError('INVALID_DATA'));
      const topic = uniqueName('t-twice');
      await assert.rejects(bus.subscribe(topic, 'bad\ngroup', async () => {}), isBusError('INVALID_DATA'));
      const group = uniqueName('g');
      const sub = await bus.subscribe(topic, group, async () => {});
      await assert.rejects(bus.subscribe(topic, group, async () => {}), isBusError('INVALID_DATA'));
      await sub.close();
    });

    test('measured: subscribe() → first record, publish → handler latency, throughput', async (t) => {
      const topic = uniqueName('t-measure');
      await bus.ensureTopics([topic]);
      // subscribe → first record of a new group
      let firstAt = 0;
      const subscribeStarted = performance.now();
      const probe = await bus.subscribe(topic, uniqueName('g-probe'), async () => {
        firstAt ||= performance.now();
      });
      const subscribed = performance.now();
      await bus.publish(topic, [record('probe', 'x')]);
      await waitFor('probe record', () => firstAt > 0, 15_000);
      await probe.close();
      t.diagnostic(`subscribe() resolved after ${(subscribed - subscribeStarted).toFixed(0)} ms; first record handled ${(firstAt - subscribeStarted).toFixed(0)} ms after subscribe() was called`);

      // latency: one record at a time, publish() awaited, time until the handler sees it
      const sentAt = new Map<string, number>();
      const latencies: number[] = [];
      const sub = await bus.subscribe(topic, uniqueName('g-latency'), async (records) => {
        const now = performance.now();
        for (const r of records) {
          const at = sentAt.get(decoder.decode(r.value));
          if (at !== undefined) latencies.push(now - at);
        }
      });
      const ackTimes: number[] = [];
      for (let i = 0; i < 500; i++) {
        const id = `lat-${i}`;
        const start = performance.now();
        sentAt.set(id, start);
        await bus.publish(topic, [record(`k${i % 8}`, id)]);
        ackTimes.push(performance.now() - start);
        await waitFor(`record ${i}`, () => latencies.length > i, 5000);
      }
      await sub.close();
      t.diagnostic(`publish ack (acks=all): p50 ${pct(ackTimes, 50)} ms, p99 ${pct(ackTimes, 99)} ms`);
      t.diagnostic(`publish → handler: p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms (n=${latencies.length})`);

      // throughput: 20 000 single-record calls in flight at once (the bus coalesces them), 100-byte values
      const tpTopic = uniqueName('t-throughput');
      await bus.ensureTopics([tpTopic]);
      let received = 0;
      const tpSub = await bus.subscribe(tpTopic, uniqueName('g-throughput'), async (records) => {
        received += records.length;
      });
      const value = 'v'.repeat(100);
      const started = performance.now();
      const calls: Promise<void>[] = [];
      for (let i = 0; i < 20_000; i++) calls.push(bus.publish(tpTopic, [record(`k${i % 64}`, value)]));
      await Promise.all(calls);
      const acked = performance.now();
      await waitFor('20 000 records', () => received >= 20_000, 60_000);
      const done = performance.now();
      await tpSub.close();
      t.diagnostic(`throughput: 20 000 publish() calls acknowledged in ${(acked - started).toFixed(0)} ms (${rate(20_000, acked - started)}/s), all handled after ${(done - started).toFixed(0)} ms (${rate(20_000, done - started)}/s)`);

      // sequential: each publish awaited before the next (the worst case for a producer)
      const seqStarted = performance.now();
      for (let i = 0; i < 1000; i++) await bus.publish(tpTopic, [record('seq', String(i))]);
      t.diagnostic(`1000 sequential awaited publish() calls: ${rate(1000, performance.now() - seqStarted)}/s`);
    });
  });

  describe('KafkaBus without a reachable broker', () => {
    test('publish, ensureTopics and subscribe fail with a retriable BUS_UNAVAILABLE within their bounds', async () => {
      const bus = createKafkaBus({ brokers: ['127.0.0.1:1'], clientId: uniqueName('nobroker'), retries: 2, requestTimeoutMs: 2000, joinTimeoutMs: 5000 });
      const started = Date.now();
      await assert.rejects(bus.publish(uniqueName('t'), [record('k', 'v')]), (err: unknown) => isBusError('BUS_UNAVAILABLE')(err) && (err as FscError).retriable);
      await assert.rejects(bus.ensureTopics([uniqueName('t')]), isBusError('BUS_UNAVAILABLE'));
      await assert.rejects(bus.subscribe(uniqueName('t'), uniqueName('g'), async () => {}), isBusError('BUS_UNAVAILABLE'));
      assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
      await bus.close();
      await assert.rejects(bus.publish(uniqueName('t'), [record('k', 'v')]), isBusError('SHUTTING_DOWN'));
    });
  });
}

function pct(values: number[], p: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(1);
}

function rate(count: number, ms: number): string {
  return Math.round((count / ms) * 1000).toLocaleString('en');
}
