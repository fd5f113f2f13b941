import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageDto } from '@fscpush/core';
import { NotifiedInbox, type LocalPullLimits } from '../src/notified-inbox.ts';

const message = (mid: string, text = 'hi'): MessageDto => ({
  messageId: mid,
  fromUser: 'a',
  conversation: { type: 0, target: 'b', line: 0 },
  content: { type: 1, searchableContent: text },
  serverTimestamp: 1,
});
const limits = (over: Partial<LocalPullLimits> = {}): LocalPullLimits => ({ entries: 8, maxCount: 200, maxBytes: 1 << 20, ...over });
const mids = (pull: { messages: MessageDto[] } | undefined) => pull?.messages.map((m) => m.messageId);

test('answers a pull whose range starts inside the announced run, up to the highest announced head', () => {
  const inbox = new NotifiedInbox(limits());
  for (let seq = 5; seq <= 7; seq++) inbox.announced(BigInt(seq), message(`m${seq}`));
  assert.deepEqual(inbox.take(4n), { messages: [message('m5'), message('m6'), message('m7')], current: 7n, head: 7n });
  assert.deepEqual(mids(inbox.take(5n)), ['m6', 'm7']);
  assert.equal(inbox.take(3n), undefined, 'seq 4 was never announced with its content: push-group answers');
  assert.equal(inbox.take(7n), undefined, 'nothing beyond the run: push-group answers');
});

test('a notify without content raises the head but keeps the run; the answer stops where the run ends', () => {
  const inbox = new NotifiedInbox(limits());
  inbox.announced(1n, message('m1'));
  inbox.announced(3n, undefined);
  assert.deepEqual(inbox.take(0n), { messages: [message('m1')], current: 1n, head: 3n }, 'current < head: the client pulls on');
  assert.equal(inbox.take(1n), undefined);
});

test('a seq that does not follow the run starts it over; an older one is ignored', () => {
  const inbox = new NotifiedInbox(limits());
  inbox.announced(1n, message('m1'));
  inbox.announced(3n, message('m3'));
  assert.equal(inbox.take(0n), undefined, 'seq 2 is unknown');
  assert.deepEqual(mids(inbox.take(2n)), ['m3']);
  inbox.announced(2n, message('m2'));
  assert.equal(inbox.take(1n), undefined, 'a late seq 2 does not join the run');
  assert.deepEqual(inbox.take(2n)?.head, 3n);
});

test("the device's own sends are skipped but advance the cursor", () => {
  const inbox = new NotifiedInbox(limits());
  inbox.announced(1n, message('m1'));
  inbox.sent(2n);
  inbox.announced(3n, message('m3'));
  assert.deepEqual(inbox.take(0n), { messages: [message('m1'), message('m3')], current: 3n, head: 3n });
  assert.deepEqual(inbox.take(1n), { messages: [message('m3')], current: 3n, head: 3n });
  const ownOnly = new NotifiedInbox(limits());
  ownOnly.sent(9n);
  assert.deepEqual(ownOnly.take(8n), { messages: [], current: 9n, head: 9n });
});

test('what a pull delivered is dropped; older entries go when the run is full', () => {
  const inbox = new NotifiedInbox(limits({ entries: 3 }));
  for (let seq = 1; seq <= 4; seq++) inbox.announced(BigInt(seq), message(`m${seq}`));
  assert.equal(inbox.take(0n), undefined, 'seq 1 fell out of a run of 3');
  assert.deepEqual(mids(inbox.take(1n)), ['m2', 'm3', 'm4']);
  inbox.delivered(3n);
  assert.equal(inbox.take(2n), undefined);
  assert.deepEqual(mids(inbox.take(3n)), ['m4']);
  inbox.delivered(10n);
  assert.equal(inbox.take(3n), undefined);
  inbox.announced(11n, message('m11'));
  assert.deepEqual(mids(inbox.take(10n)), ['m11']);
});

test("push-group's pull limits apply: count, then bytes (at least one message)", () => {
  const inbox = new NotifiedInbox(limits({ maxCount: 2, maxBytes: 1000 }));
  inbox.announced(1n, message('m1', 'x'.repeat(100)));
  inbox.announced(2n, message('m2', 'x'.repeat(100)));
  inbox.announced(3n, message('m3'));
  assert.deepEqual(inbox.take(0n), { messages: [message('m1', 'x'.repeat(100)), message('m2', 'x'.repeat(100))], current: 2n, head: 3n });
  const big = new NotifiedInbox(limits({ maxBytes: 500 }));
  big.announced(1n, message('m1', 'x'.repeat(100)));
  big.announced(2n, message('m2'));
  assert.deepEqual(mids(big.take(0n)), ['m1'], 'the second message would pass the byte limit');
  assert.equal(big.take(0n)?.current, 1n);
});

test('a recall drops the kept content; 0 entries keeps nothing', () => {
  const inbox = new NotifiedInbox(limits());
  inbox.announced(1n, message('m1'));
  inbox.forget();
  assert.equal(inbox.take(0n), undefined);
  const off = new NotifiedInbox(limits({ entries: 0 }));
  off.announced(1n, message('m1'));
  off.sent(2n);
  assert.equal(off.take(0n), undefined);
});
