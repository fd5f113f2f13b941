import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PushStream, RequestIdCounter, RequestTracker, TestkitError } from '../src/index.ts';

test('message ids count from 1 and wrap from 65535 to 1, skipping ids in flight', async () => {
  const tracker = new RequestTracker<string>();
  assert.equal(tracker.nextId(), 1);
  const held = tracker.track(2, 10, 1000, 'held');
  for (let id = 3; id <= 65535; id++) assert.equal(tracker.nextId(), id);
  assert.equal(tracker.nextId(), 1);
  assert.equal(tracker.nextId(), 3, 'id 2 is still pending');
  assert.equal(tracker.settle(2, 10, 'ok'), true);
  assert.equal(await held, 'ok');
});

test('settle matches id and kind; timeouts and rejectAll reject', async () => {
  const tracker = new RequestTracker<string>();
  const answer = tracker.track(7, 10, 1000, 'x');
  assert.equal(tracker.settle(7, 3, 'wrong kind'), false);
  assert.equal(tracker.settle(8, 10, 'wrong id'), false);
  tracker.rejectAll(new TestkitError('CLOSED'));
  await assert.rejects(answer, { code: 'CLOSED' });
  await assert.rejects(tracker.track(9, 10, 5, 'slow'), { code: 'TIMEOUT' });
  assert.equal(tracker.size, 0);
});

test('one id counter shared by trackers keeps counting across them and wraps after 65535', () => {
  const ids = new RequestIdCounter(65534);
  const first = new RequestTracker<string>(ids);
  assert.equal(first.nextId(), 65535);
  const second = new RequestTracker<string>(ids);
  assert.equal(second.nextId(), 1, 'a new connection of the same app continues the counter');
  assert.equal(ids.lastId, 1);
  assert.throws(() => new RequestIdCounter(65536), RangeError);
});

test('a request naming a sub-signal is settled only by an answer with that sub-signal', async () => {
  const tracker = new RequestTracker<string>();
  const answer = tracker.track(5, 10, 1000, 'MP', 19);
  assert.equal(tracker.settle(5, 10, 'an answer to another kind of request', 17), false);
  assert.equal(tracker.settle(5, 10, 'no sub-signal'), false);
  assert.equal(tracker.settle(5, 10, 'ok', 19), true);
  assert.equal(await answer, 'ok');
});

test('push stream: earlier pushes are found, each handed out once, iterator ends on close', async () => {
  const stream = new PushStream<number>(3);
  const seen: number[] = [];
  stream.on('push', (n) => seen.push(n));
  stream.add(1);
  stream.add(2);
  assert.equal(await stream.waitFor((n) => n === 2, 10), 2);
  const later = stream.waitFor((n) => n > 10, 1000);
  stream.add(11);
  assert.equal(await later, 11);
  await assert.rejects(stream.waitFor((n) => n === 2, 5), { code: 'TIMEOUT' });
  for (const n of [3, 4, 5]) stream.add(n);
  assert.deepEqual(stream.pending, [3, 4, 5]);
  assert.equal(stream.dropped, 1);
  const collected: number[] = [];
  const done = (async () => {
    for await (const n of stream) collected.push(n);
  })();
  await new Promise((resolve) => setImmediate(resolve));
  stream.add(6);
  await new Promise((resolve) => setImmediate(resolve));
  stream.end(new TestkitError('CLOSED'));
  await done;
  assert.deepEqual(collected, [3, 4, 5, 6]);
  assert.deepEqual(seen, [1, 2, 11, 3, 4, 5, 6]);
  assert.equal(stream.received, 7);
});
