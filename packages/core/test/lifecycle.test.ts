import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownSequence } from '../src/lifecycle.ts';

test('closers run in reverse registration order, each awaited before the next', async () => {
  const seq = new ShutdownSequence();
  const log: string[] = [];
  for (const name of ['store', 'bus', 'listener']) {
    seq.add(name, async () => {
      log.push(`${name}:start`);
      await sleep(5);
      log.push(`${name}:end`);
    });
  }
  assert.equal(seq.isClosing, false);
  const failed = await seq.run(1000);
  assert.deepEqual(failed, []);
  assert.deepEqual(log, ['listener:start', 'listener:end', 'bus:start', 'bus:end', 'store:start', 'store:end']);
  assert.equal(seq.isClosing, true);
});

test('throwing and rejecting closers are reported and do not stop the others', async () => {
  const seq = new ShutdownSequence();
  const ran: string[] = [];
  seq.add('a', () => void ran.push('a'));
  seq.add('sync-throw', () => {
    ran.push('sync-throw');
    throw new Error('boom');
  });
  seq.add('b', () => void ran.push('b'));
  seq.add('async-reject', async () => {
    ran.push('async-reject');
    throw new Error('boom');
  });
  seq.add('c', () => void ran.push('c'));
  const failed = await seq.run(1000);
  assert.deepEqual(ran, ['c', 'async-reject', 'b', 'sync-throw', 'a']);
  assert.deepEqual(failed, ['async-reject', 'sync-throw']);
});

test('a hanging closer is cut at the timeout and reported; the closers after it still run', async () => {
  const seq = new ShutdownSequence();
  const ran: string[] = [];
  seq.add('first-registered', () => void ran.push('first-registered'));
  seq.add('hangs', () => new Promise<void>(() => {}));
  seq.add('last-registered', () => void ran.push('last-registered'));
  const started = performance.now();
  const failed = await seq.run(150);
  const elapsed = performance.now() - started;
  assert.deepEqual(failed, ['hangs']);
  assert.deepEqual(ran, ['last-registered', 'first-registered']);
  assert.ok(elapsed >= 140, `waited for the budget (${elapsed} ms)`);
  assert.ok(elapsed < 1000, `did not wait for the hanging closer (${elapsed} ms)`);
});

test('the timeout is one budget for the whole sequence, not per closer', async () => {
  const seq = new ShutdownSequence();
  for (const name of ['a', 'b', 'c']) seq.add(name, () => sleep(80));
  const started = performance.now();
  const failed = await seq.run(100);
  const elapsed = performance.now() - started;
  // a (runs last) and b cannot both fit in 100 ms after c's 80 ms.
  assert.deepEqual(failed, ['b', 'a']);
  assert.ok(elapsed < 400, `bounded by the budget (${elapsed} ms)`);
});

test('run() twice returns the same promise and runs each closer once', async () => {
  const seq = new ShutdownSequence();
  let calls = 0;
  seq.add('once', async () => {
    calls++;
    await sleep(10);
  });
  const first = seq.run(1000);
  const second = seq.run(5);
  assert.equal(first, second);
  assert.deepEqual(await first, []);
  assert.equal(await seq.run(1000), await first);
  assert.equal(calls, 1);
});

test('an empty sequence resolves with no failures', async () => {
  assert.deepEqual(await new ShutdownSequence().run(10), []);
});
