import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@fscpush/core';
import { openGroupStore } from './store/open-group-store.ts';
import type { GroupStore as Store } from '../src/store/index.ts';
import { GroupTimeline } from '../src/repos/group-timeline.ts';
import { InboxHeads } from '../src/messages/inbox-heads.ts';
import { MessageWriter, type StoredMessage } from '../src/messages/message-writer.ts';

let store: Store;
let heads: InboxHeads;
let writer: MessageWriter;
let nextMid = 1;

before(async () => {
  store = await openGroupStore(':memory:');
  heads = new InboxHeads(store.db, store.dialect, { cacheCommitted: true });
  writer = new MessageWriter({ db: store.db, dialect: store.dialect, heads, timeline: new GroupTimeline(store.db, store.dialect), online: async () => new Set(), waitForSenders: false, log: createLogger('test', { level: 'silent' }) });
});
after(() => store.close());

function message(mid = String(nextMid++)): StoredMessage {
  return { mid, fromUid: 'a', fromClient: 'c', convType: 0, convTarget: 'b', convLine: 0, convKey: 'a|b', contentType: 1, searchable: 'hi', contentJson: '{"type":1}', toUsers: '', createdAt: Date.now() };
}

async function storedHead(uid: string): Promise<bigint> {
  const row = await store.db.selectFrom('inbox_heads').select('seq').where('uid', '=', uid).executeTakeFirst();
  return row ? BigInt(row.seq as string | number | bigint) : 0n;
}

test('cached heads follow every commit and match the store', async () => {
  for (let i = 0; i < 5; i++) await writer.write(message(), ['a', 'b']);
  assert.equal(await heads.of('a'), 5n);
  assert.equal(await heads.of('b'), 5n);
  assert.equal(await storedHead('b'), 5n);
  assert.equal(await heads.of('nobody'), 0n, 'a user never written reads the store');
});

test('a rolled-back write leaves the cached head where the store is; the next write continues densely', async () => {
  const before = await heads.of('b');
  const taken = message();
  await writer.write(taken, ['b']);
  await assert.rejects(writer.write(message(taken.mid), ['b']), 'a duplicate message id fails the transaction');
  assert.equal(await heads.of('b'), before + 1n);
  assert.equal(await storedHead('b'), before + 1n);
  const seqs = await writer.write(message(), ['b']);
  assert.equal(seqs.get('b'), String(before + 2n));
  const rows = await store.db.selectFrom('inbox').select('seq').where('uid', '=', 'b').orderBy('seq').execute();
  assert.deepEqual(rows.map((r) => BigInt(r.seq as string | number | bigint)), Array.from({ length: rows.length }, (_, i) => BigInt(i + 1)));
});

test('only the only writer may cache heads', () => {
  assert.throws(() => new InboxHeads(store.db, { ...store.dialect, embedded: false }, { cacheCommitted: true }));
});
