import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FscError } from '@fscpush/core';
import { InProcessBus } from '../src/in-process-bus.ts';
import { collector, describeBusContract, record } from '@fscpush/ports/contracts/bus-contract';
import { sleep, uniqueName, waitFor } from '@fscpush/ports/contracts/helpers';

describeBusContract('InProcessBus', { create: async () => new InProcessBus(), deliveryTimeoutMs: 3000, quietMs: 150 });

// What the embedded bus does beyond the contract.

test('InProcessBus: a healthy handler sees every record exactly once, in publish order, in batches of at most 512', async () => {
  const bus = new InProcessBus();
  const topic = uniqueName('t');
  const c = collector();
  await bus.subscribe(topic, 'g', c.handler);
  const expected: string[] = [];
  for (let i = 0; i < 1500; i++) expected.push(`k${i % 3}/${i}`);
  await bus.publish(topic, expected.map((e) => record(e.split('/')[0]!, e.split('/')[1]!)));
  await waitFor('1500 records', () => c.seen.length >= 1500, 3000);
  await sleep(20);
  assert.deepEqual(c.seen, expected);
  assert.ok(c.batches.every((b) => b.length <= 512), `batch sizes ${c.batches.map((b) => b.length)}`);
  assert.ok(c.batches.length >= 3);
  await bus.close();
});

test('InProcessBus: the handler of one group is never run concurrently with itself', async () => {
  const bus = new InProcessBus();
  const topic = uniqueName('t');
  let active = 0;
  let maxActive = 0;
  let handled = 0;
  await bus.subscribe(topic, 'g', async (records) => {
    active++;
    maxActive = Math.max(maxActive, active);
    await sleep(2);
    handled += records.length;
    active--;
  });
  for (let i = 0; i < 50; i++) {
    await bus.publish(topic, [record('k', String(i))]);
    if (i % 10 === 0) await sleep(1);
  }
  await waitFor('50 records', () => handled >= 50, 3000);
  assert.equal(maxActive, 1);
  await bus.close();
});

test('InProcessBus: records published while no group is subscribed are dropped (latest-offset semantics)', async () => {
  const bus = new InProcessBus();
  const topic = uniqueName('t');
  await bus.ensureTopics([topic]);
  await bus.publish(topic, [record('k', 'early')]);
  const c = collector();
  await bus.subscribe(topic, 'g', c.handler);
  await bus.publish(topic, [record('k', 'late')]);
  await waitFor('late record', () => c.seen.length >= 1, 3000);
  await sleep(50);
  assert.deepEqual(c.seen, ['k/late']);
  await bus.close();
});

test('InProcessBus: one group subscribed twice to a topic is refused', async () => {
  const bus = new InProcessBus();
  const topic = uniqueName('t');
  await bus.subscribe(topic, 'g', async () => {});
  await assert.rejects(bus.subscribe(topic, 'g', async () => {}), (err: unknown) => err instanceof FscError && err.code === 'INVALID_DATA');
  await bus.subscribe(topic, 'other', async () => {});
  await bus.close();
});

test('InProcessBus: after close(), publish fails with SHUTTING_DOWN and nothing more is delivered', async () => {
  const bus = new InProcessBus();
  const topic = uniqueName('t');
  let calls = 0;
  await bus.subscribe(topic, 'g', async () => {
    calls++;
    throw new Error('keeps failing (expected by the test)');
  });
  await bus.publish(topic, [record('k', '1')]);
  await waitFor('first attempt', () => calls >= 1, 3000);
  await bus.close();
  const callsAtClose = calls;
  await assert.rejects(bus.publish(topic, [record('k', '2')]), (err: unknown) => err instanceof FscError && err.code === 'SHUTTING_DOWN');
  await sleep(250); // longer than the retry delay
  assert.equal(calls, callsAtClose, 'the retry loop stopped');
});
