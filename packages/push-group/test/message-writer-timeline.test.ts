import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@fscpush/core';
import { openGroupStore } from './store/open-group-store.ts';
import type { GroupStore as Store } from '../src/store/index.ts';
import { GroupTimeline } from '../src/repos/group-timeline.ts';
import { InboxHeads } from '../src/messages/inbox-heads.ts';
import { MessageWriter, type StoredMessage } from '../src/messages/message-writer.ts';

let store: Store;
let writer: MessageWriter;
/** who the writer sees online */
const online = new Set<string>();
/** the online lookup fails (grid down) */
let gridDown = false;
let nextMid = 1000;

before(async () => {
  store = await openGroupStore(':memory:');
  writer = new MessageWriter({
    db: store.db,
    dialect: store.dialect,
    heads: new InboxHeads(store.db, store.dialect, { cacheCommitted: true }),
    timeline: new GroupTimeline(store.db, store.dialect),
    online: async (uids) => {
      if (gridDown) throw new Error('grid unavailable');
      return new Set(uids.filter((uid) => online.has(uid)));
    },
    waitForSenders: false,
    log: createLogger('test', { level: 'silent' }),
  });
});
after(() => store.close());

async function lazyGroup(gid: string, members: string[]): Promise<void> {
  await store.db.insertInto('groups').values({ gid, name: gid, portrait: '', owner: members[0]!, type: 0, extra: '', mute: 0, dismissed: 0, lazy: 1, created_at: 1, updated_at: 1, member_updated_at: 1 }).execute();
  await store.db.insertInto('group_members').values(members.map((uid) => ({ gid, uid, alias: '', type: 0, removed: 0, updated_at: 1 }))).execute();
  await store.db.insertInto('timeline_heads').values({ gid, seq: '0' }).execute();
}

function message(gid: string, from: string, text: string, to: string[] = []): StoredMessage {
  const mid = String(nextMid++);
  return { mid, fromUid: from, fromClient: 'c', convType: 1, convTarget: gid, convLine: 0, convKey: gid, contentType: 1, searchable: text, contentJson: JSON.stringify({ type: 1, searchableContent: text }), toUsers: to.join(','), createdAt: Date.now() };
}

/** a group's active members as the member cache holds them */
const roster = (uids: string[]): Map<string, number> => new Map(uids.map((uid) => [uid, 0]));

async function inbox(uid: string): Promise<string[]> {
  const rows = await store.db.selectFrom('inbox').innerJoin('messages', 'messages.mid', 'inbox.mid').select(['inbox.seq', 'messages.searchable']).where('inbox.uid', '=', uid).orderBy('inbox.seq').execute();
  rows.forEach((row, i) => assert.equal(BigInt(row.seq), BigInt(i + 1), 'seqs are dense from 1'));
  return rows.map((r) => r.searchable);
}

test('a post goes to the online members only; the others take it on catch-up, in timeline order', async () => {
  await lazyGroup('g1', ['a', 'b', 'c']);
  online.clear();
  online.add('a');
  const { seqs } = await writer.post(message('g1', 'a', 'one'), { gid: 'g1', members: roster(['a', 'b', 'c']), targets: undefined });
  assert.deepEqual([...seqs.keys()], ['a']);
  await writer.post(message('g1', 'a', 'two'), { gid: 'g1', members: roster(['a', 'b', 'c']), targets: undefined });
  assert.deepEqual(await inbox('b'), []);
  await writer.catchUp('b');
  assert.deepEqual(await inbox('b'), ['one', 'two']);
  await writer.catchUp('b');
  assert.deepEqual(await inbox('b'), ['one', 'two'], 'a second catch-up adds nothing');
  assert.deepEqual(await inbox('a'), ['one', 'two']);
});

test('an online member behind the timeline first gets what it missed, then the new post', async () => {
  await lazyGroup('g2', ['a', 'b']);
  online.clear();
  online.add('a');
  await writer.post(message('g2', 'a', 'missed'), { gid: 'g2', members: roster(['a', 'b']), targets: undefined });
  online.add('b');
  const { seqs, behind } = await writer.post(message('g2', 'a', 'live'), { gid: 'g2', members: roster(['a', 'b']), targets: undefined });
  assert.ok(seqs.has('b'));
  assert.deepEqual(behind, []);
  assert.deepEqual((await inbox('b')).slice(-2), ['missed', 'live']);
  await writer.catchUp('b');
  assert.deepEqual((await inbox('b')).slice(-2), ['missed', 'live'], 'nothing twice');
});

test('posts to some members skip the others, who still move past them', async () => {
  await lazyGroup('g3', ['a', 'b', 'c']);
  online.clear();
  online.add('a');
  online.add('c');
  await writer.post(message('g3', 'a', 'to b', ['b']), { gid: 'g3', members: roster(['a', 'b', 'c']), targets: new Set(['a', 'b']) });
  await writer.post(message('g3', 'a', 'all'), { gid: 'g3', members: roster(['a', 'b', 'c']), targets: undefined });
  assert.deepEqual((await inbox('c')).slice(-1), ['all']);
  assert.equal((await inbox('c')).includes('to b'), false);
  await writer.catchUp('b');
  assert.deepEqual((await inbox('b')).slice(-2), ['to b', 'all']);
});

test('a removed member takes what was sent up to its removal and nothing after', async () => {
  await lazyGroup('g4', ['a', 'b']);
  online.clear();
  await writer.post(message('g4', 'a', 'kept'), { gid: 'g4', members: roster(['a', 'b']), targets: undefined });
  await store.db.updateTable('group_members').set({ removed: 1, tl_until: '1' }).where('gid', '=', 'g4').where('uid', '=', 'b').execute();
  await writer.post(message('g4', 'a', 'after'), { gid: 'g4', members: roster(['a']), targets: undefined });
  const before = (await inbox('b')).length;
  await writer.catchUp('b');
  assert.deepEqual((await inbox('b')).slice(before), ['kept']);
});

test('a long backlog is taken in several transactions, all of it, in order', async () => {
  await lazyGroup('g5', ['a', 'z']);
  online.clear();
  const texts = Array.from({ length: 2500 }, (_, i) => `m${i}`);
  await Promise.all(texts.map((text) => writer.post(message('g5', 'a', text), { gid: 'g5', members: roster(['a', 'z']), targets: undefined })));
  await writer.catchUp('z');
  assert.deepEqual(await inbox('z'), texts);
});

test('an online member more than 1,000 messages behind is reported for a catch-up instead of slowing the send', async () => {
  await lazyGroup('g6', ['a', 'far']);
  online.clear();
  online.add('a');
  await Promise.all(Array.from({ length: 1001 }, (_, i) => writer.post(message('g6', 'a', `x${i}`), { gid: 'g6', members: roster(['a', 'far']), targets: undefined })));
  online.add('far');
  const { seqs, behind } = await writer.post(message('g6', 'a', 'now'), { gid: 'g6', members: roster(['a', 'far']), targets: undefined });
  assert.deepEqual(behind, ['far']);
  assert.equal(seqs.has('far'), false);
  await writer.catchUp('far');
  const texts = await inbox('far');
  assert.equal(texts.length, 1002);
  assert.deepEqual(texts.slice(-2), ['x1000', 'now']);
});

test('when the online lookup fails every member takes the post (nobody is left to a later catch-up)', async () => {
  await lazyGroup('g7', ['a', 'b', 'c']);
  online.clear();
  gridDown = true;
  try {
    const { seqs } = await writer.post(message('g7', 'a', 'grid down'), { gid: 'g7', members: roster(['a', 'b', 'c']), targets: undefined });
    assert.deepEqual([...seqs.keys()].sort(), ['a', 'b', 'c']);
  } finally {
    gridDown = false;
  }
  assert.deepEqual((await inbox('c')).slice(-1), ['grid down']);
});
