import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageDto } from '@fscpush/core';
import { RecentInbox } from '../src/messages/recent-inbox.ts';

const entry = (seq: number, mid = String(seq)) => ({
  seq: String(seq),
  fromClient: 'c',
  message: { messageId: mid, fromUser: 'a', conversation: { type: 0, target: 'b', line: 0 }, content: { type: 1 }, serverTimestamp: 1 } as MessageDto,
});
const seqs = (entries: { seq: string }[] | undefined) => entries?.map((e) => e.seq);

test('serves a pull only when the cached entries cover its whole range', () => {
  const recent = new RecentInbox({ perUser: 4, total: 100 });
  for (let s = 1; s <= 6; s++) recent.add('u', entry(s));
  assert.equal(recent.range('u', 0n, 6n, 10), undefined, 'seq 1 and 2 were dropped: the store answers');
  assert.deepEqual(seqs(recent.range('u', 2n, 6n, 10)), ['3', '4', '5', '6']);
  assert.deepEqual(seqs(recent.range('u', 3n, 6n, 2)), ['4', '5'], 'the page limit applies');
  assert.equal(recent.range('u', 3n, 7n, 10), undefined, 'the head is beyond what was cached');
  assert.deepEqual(recent.range('u', 6n, 6n, 10), [], 'nothing new');
  assert.equal(recent.range('nobody', 0n, 3n, 10), undefined);
});

test('a gap in the seqs starts the user over', () => {
  const recent = new RecentInbox({ perUser: 8, total: 100 });
  for (let s = 1; s <= 3; s++) recent.add('u', entry(s));
  recent.add('u', entry(5));
  assert.equal(recent.range('u', 2n, 5n, 10), undefined);
  assert.deepEqual(seqs(recent.range('u', 4n, 5n, 10)), ['5']);
});

test('the least recently written users are evicted past the total', () => {
  const recent = new RecentInbox({ perUser: 8, total: 5 });
  recent.add('u', entry(1));
  for (let i = 0; i < 5; i++) recent.add(`v${i}`, entry(1));
  assert.equal(recent.range('u', 0n, 1n, 10), undefined);
  assert.deepEqual(seqs(recent.range('v4', 0n, 1n, 10)), ['1']);
});

test('a recall rewrites the cached content', () => {
  const recent = new RecentInbox({ perUser: 8, total: 100 });
  recent.add('u', entry(1, 'm1'));
  recent.add('w', entry(1, 'm1'));
  recent.replaceContent('m1', { type: 80, content: 'a' });
  assert.equal(recent.range('u', 0n, 1n, 5)![0]!.message.content.type, 80);
  assert.equal(recent.range('w', 0n, 1n, 5)![0]!.message.content.type, 80);
});
