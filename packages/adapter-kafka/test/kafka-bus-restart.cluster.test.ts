import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger, FscError, type LoggerOptions } from '@fscpush/core';
import type { Subscription } from '@fscpush/ports';
import { createKafkaBus, type KafkaBus } from '../src/kafka-bus.ts';
import { collector, firstOccurrences, record } from '@fscpush/ports/contracts/bus-contract';
import { sleep, uniqueName, waitFor } from '@fscpush/ports/contracts/helpers';
import { KafkaBrokerProcess } from './kafka-broker-process.ts';

/**
 * KafkaBus across broker restarts (cluster tier). The shared dev-stack broker must stay up for everyone,
 * so this file starts its own broker from the dev stack's cached jars (scripts/devstack install kafka),
 * kills and restarts it by pid, and removes it at the end. FSCPUSH_TEST_LOG_LEVEL=warn shows the bus's log.
 */
describe('KafkaBus across broker restarts (own broker)', () => {
  let broker: KafkaBrokerProcess;
  let bus: KafkaBus;
  let sub: Subscription;
  const topic = uniqueName('t-restart');
  const group = uniqueName('g-restart');
  const seen = collector();
  const acked: string[] = []; // "key/value" of every record whose publish() resolved
  let n = 0;
  const keyOf = (i: number): string => `k${i % 5}`;

  /** Publishes the next record; returns false (and acks nothing) if the bus refused with a retriable error. */
  async function publishNext(): Promise<boolean> {
    const i = n;
    try {
      await bus.publish(topic, [record(keyOf(i), String(i))]);
    } catch (err) {
      if (err instanceof FscError && err.retriable) return false;
      throw err;
    }
    n++;
    acked.push(`${keyOf(i)}/${i}`);
    return true;
  }

  /** What an application does while the bus is down: try again until it works (bounded). */
  async function publishUntilAccepted(count: number, timeoutMs: number): Promise<{ failures: number }> {
    const deadline = Date.now() + timeoutMs;
    let failures = 0;
    for (let sent = 0; sent < count; ) {
      if (await publishNext()) sent++;
      else {
        failures++;
        if (Date.now() > deadline) throw new Error(`publish still failing after ${timeoutMs} ms`);
        await sleep(200);
      }
    }
    return { failures };
  }

  function assertEveryAckedRecordDelivered(): void {
    const got = firstOccurrences(seen.seen);
    const missing = acked.filter((v) => !got.includes(v));
    assert.deepEqual(missing, [], 'acknowledged records lost');
    for (let k = 0; k < 5; k++) {
      const key = `k${k}/`;
      const order = got.filter((v) => v.startsWith(key) && acked.includes(v)).map((v) => Number(v.slice(key.length)));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `order of key k${k}`);
    }
  }

  before(async () => {
    broker = await KafkaBrokerProcess.create();
    await broker.start();
    const level = (process.env['FSCPUSH_TEST_LOG_LEVEL'] ?? 'silent') as LoggerOptions['level'];
    bus = createKafkaBus({
      brokers: [broker.address],
      clientId: uniqueName('restart-test'),
      log: createLogger('kafka-bus-restart-test', { level, destination: process.stderr }),
      retries: 3,
      requestTimeoutMs: 3000,
      publishTimeoutMs: 10_000,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
    });
    await bus.ensureTopics([topic]);
    sub = await bus.subscribe(topic, group, seen.handler);
  });

  after(async () => {
    await sub?.close();
    await bus?.close();
    await broker?.destroy();
  });

  test('a crashed broker (SIGKILL) loses no acknowledged record; publish fails fast while it is down; the consumer resumes by itself', async (t) => {
    await publishUntilAccepted(100, 10_000);
    await waitFor('first 100 delivered', () => new Set(seen.seen).size >= 100, 20_000);
    // 100 more, acknowledged and then the broker dies at once: some are not consumed yet.
    const burst = Array.from({ length: 100 }, () => publishNext());
    assert.ok((await Promise.all(burst)).every(Boolean));
    await broker.stop('SIGKILL');

    const downStarted = Date.now();
    await assert.rejects(bus.publish(topic, [record('down', 'x')]), (err: unknown) => err instanceof FscError && err.code === 'BUS_UNAVAILABLE' && err.retriable);
    const failMs = Date.now() - downStarted;
    assert.ok(failMs < 15_000, `publish took ${failMs} ms to fail`);

    const restartStarted = Date.now();
    await broker.start();
    const brokerUp = Date.now();
    const { failures } = await publishUntilAccepted(100, 60_000);
    const published = Date.now();
    await waitFor('all 300 acknowledged records', () => acked.every((v) => seen.seen.includes(v)), 60_000);
    const delivered = Date.now();
    assertEveryAckedRecordDelivered();
    t.diagnostic(
      `publish failed after ${failMs} ms while down; broker restart took ${brokerUp - restartStarted} ms; ` +
        `${failures} publish attempts refused after it was up; 100 more published ${published - brokerUp} ms after, ` +
        `everything delivered ${delivered - brokerUp} ms after the broker was up`,
    );
  });

  test('a hung broker (SIGSTOP): publish fails within publishTimeoutMs instead of hanging; after it wakes up nothing acknowledged is lost', async (t) => {
    broker.freeze();
    const hungStarted = Date.now();
    try {
      await assert.rejects(bus.publish(topic, [record('hung', 'x')]), (err: unknown) => err instanceof FscError && err.code === 'BUS_UNAVAILABLE' && err.retriable);
    } finally {
      broker.thaw();
    }
    const failMs = Date.now() - hungStarted;
    assert.ok(failMs < 12_000, `publish took ${failMs} ms to fail`);
    const thawed = Date.now();
    const { failures } = await publishUntilAccepted(50, 60_000);
    await waitFor('every acknowledged record', () => acked.every((v) => seen.seen.includes(v)), 60_000);
    assertEveryAckedRecordDelivered();
    t.diagnostic(`publish to a hung broker failed after ${failMs} ms; ${failures} refused attempts after it woke up; all delivered ${Date.now() - thawed} ms after`);
  });

  test('a broker that comes back with empty storage (as after devstack down/up): topic re-created, publishing and consuming resume', async (t) => {
    await broker.stop('SIGTERM');
    broker.wipe();
    await broker.start();
    const brokerUp = Date.now();
    const before = acked.length;
    const { failures } = await publishUntilAccepted(50, 60_000);
    const published = Date.now();
    const fresh = acked.slice(before);
    await waitFor('records published after the wipe', () => fresh.every((v) => seen.seen.includes(v)), 60_000);
    const delivered = Date.now();
    t.diagnostic(`after a wiped restart: ${failures} refused publish attempts, 50 published after ${published - brokerUp} ms, delivered after ${delivered - brokerUp} ms`);
    const got = firstOccurrences(seen.seen).filter((v) => fresh.includes(v));
    for (let k = 0; k < 5; k++) {
      const order = got.filter((v) => v.startsWith(`k${k}/`)).map((v) => Number(v.split('/')[1]));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), `order of key k${k}`);
    }
  });
});
