import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ID_EPOCH_MS, MAX_NODE_ID, MessageIdGenerator, nodeOfId, timestampOfId } from '../src/id/message-id.ts';

const MAX_63_BIT = (1n << 63n) - 1n;
const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);

/** A clock the test moves by hand. */
function fakeClock(start = T0): { now: () => number; set: (ms: number) => void; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}

/** Asserts each id is strictly greater than the one before (which also makes them unique). */
function assertStrictlyIncreasing(ids: readonly bigint[]): void {
  for (let i = 1; i < ids.length; i++) {
    if (ids[i]! <= ids[i - 1]!) assert.fail(`id #${i} ${ids[i]} is not greater than #${i - 1} ${ids[i - 1]}`);
  }
}

test('1e6 ids from the real clock are unique, strictly increasing, positive and fit in 63 bits', () => {
  const gen = new MessageIdGenerator(7);
  const ids = new Array<bigint>(1_000_000);
  for (let i = 0; i < ids.length; i++) ids[i] = gen.next();
  assertStrictlyIncreasing(ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids[0]! > 0n);
  assert.ok(ids.at(-1)! <= MAX_63_BIT);
  assert.ok(ids.every((id) => nodeOfId(id) === 7));
});

test('node id and timestamp round-trip through nodeOfId/timestampOfId, for bigint and string ids', () => {
  for (const node of [0, 1, 513, MAX_NODE_ID]) {
    const clock = fakeClock();
    const gen = new MessageIdGenerator(node, clock.now);
    const id = gen.next();
    assert.equal(nodeOfId(id), node);
    assert.equal(timestampOfId(id), T0);
    const str = gen.nextString();
    assert.match(str, /^\d+$/);
    assert.equal(nodeOfId(str), node);
    assert.equal(timestampOfId(str), T0, 'second id in the same ms keeps the timestamp');
    assert.equal(BigInt(str) - id, 1n, 'second id in the same ms is the next sequence number');
    clock.advance(1234);
    assert.equal(timestampOfId(gen.next()), T0 + 1234);
  }
});

test('the sequence restarts at 0 when the millisecond changes', () => {
  const clock = fakeClock();
  const gen = new MessageIdGenerator(3, clock.now);
  gen.next();
  gen.next();
  clock.advance(1);
  const id = gen.next();
  assert.equal(id & 0xfffn, 0n);
  assert.equal(timestampOfId(id), T0 + 1);
});

test('ids of different nodes in the same millisecond differ', () => {
  const clock = fakeClock();
  const ids = new Set<bigint>();
  for (let node = 0; node <= MAX_NODE_ID; node++) {
    const gen = new MessageIdGenerator(node, clock.now);
    ids.add(gen.next());
    ids.add(gen.next());
  }
  assert.equal(ids.size, 2 * (MAX_NODE_ID + 1));
});

test('a clock stepping back 10 s keeps ids increasing and unique, and never goes back in time', () => {
  const clock = fakeClock();
  const gen = new MessageIdGenerator(42, clock.now);
  const ids: bigint[] = [];
  for (let i = 0; i < 100; i++) {
    ids.push(gen.next());
    clock.advance(1);
  }
  const lastBefore = timestampOfId(ids.at(-1)!);
  clock.advance(-10_000);
  for (let i = 0; i < 10_000; i++) {
    ids.push(gen.next());
    if (i % 10 === 0) clock.advance(1);
  }
  assertStrictlyIncreasing(ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.slice(100).every((id) => timestampOfId(id) >= lastBefore), 'no id carries the stepped-back time');
  assert.ok(ids.every((id) => nodeOfId(id) === 42));
  // When the clock catches up and passes the last issued time, ids follow the clock again.
  clock.set(T0 + 60_000);
  const later = gen.next();
  assert.ok(later > ids.at(-1)!);
  assert.equal(timestampOfId(later), T0 + 60_000);
});

test('sequence exhaustion with a frozen clock borrows the next millisecond and stays unique', () => {
  const clock = fakeClock();
  const gen = new MessageIdGenerator(MAX_NODE_ID, clock.now);
  const ids: bigint[] = [];
  for (let i = 0; i < 10_000; i++) ids.push(gen.next());
  assertStrictlyIncreasing(ids);
  assert.equal(new Set(ids).size, 10_000);
  // 4096 ids per ms: 10 000 ids span T0, T0+1 and T0+2.
  assert.equal(timestampOfId(ids[4095]!), T0);
  assert.equal(timestampOfId(ids[4096]!), T0 + 1);
  assert.equal(timestampOfId(ids[8192]!), T0 + 2);
  assert.ok(ids.every((id) => nodeOfId(id) === MAX_NODE_ID), 'sequence overflow never spills into the node bits');
  // The real clock reaching a borrowed millisecond does not reissue its ids.
  clock.advance(1);
  const next = gen.next();
  assert.ok(next > ids.at(-1)!);
});

test('invalid node ids throw RangeError', () => {
  for (const bad of [-1, 1024, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new MessageIdGenerator(bad), RangeError, `node id ${bad}`);
  }
  assert.doesNotThrow(() => new MessageIdGenerator(0));
  assert.doesNotThrow(() => new MessageIdGenerator(1023));
});

test('ids fit in 63 bits (a signed 64-bit column) up to the end of the 41-bit time range', () => {
  const lastMs = ID_EPOCH_MS + 2 ** 41 - 1;
  const gen = new MessageIdGenerator(MAX_NODE_ID, () => lastMs);
  let id = 0n;
  for (let i = 0; i < 4096; i++) id = gen.next();
  assert.equal(id, MAX_63_BIT, 'last id of the range is all ones: time, node and sequence fields do not overlap');
  assert.equal(timestampOfId(id), lastMs);
  assert.equal(nodeOfId(id), MAX_NODE_ID);
  assert.equal(BigInt.asIntN(64, id), id, 'stays positive as a signed 64-bit integer');
});
