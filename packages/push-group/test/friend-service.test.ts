import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ContentType, createLogger, FscError, type MessageService, type SendRequest } from '@fscpush/core';
import { InProcessBus, MemoryGrid } from '@fscpush/adapter-memory';
import { openGroupStore } from './store/open-group-store.ts';
import type { GroupStore as Store } from '../src/store/index.ts';
import { FriendServiceImpl } from '../src/friends/friend-service.ts';
import { DeliveryPublisher } from '../src/messages/delivery-publisher.ts';
import { UsersRepo } from '../src/repos/users-repo.ts';
import { OnlineSessions } from '../src/sessions/online-sessions.ts';

// Friend use cases on the embedded adapters, without sockets: refusals change nothing, accepting (with the
// Android app's status 0 or the web client's 1) makes both friends and greets them.

let store: Store;
let friends: FriendServiceImpl;
const sent: SendRequest[] = [];

before(async () => {
  store = await openGroupStore(':memory:');
  const users = new UsersRepo(store.db);
  for (const uid of ['f-ann', 'f-ben', 'f-cat', 'f-dan']) await users.create({ uid, name: uid, displayName: uid });
  const log = createLogger('test', { level: 'silent' });
  const messages = { send: async (req: SendRequest) => (sent.push(req), { messageId: String(sent.length), timestamp: 1 }) } as unknown as MessageService;
  friends = new FriendServiceImpl({ db: store.db, reads: store.reads, users, messages, publisher: new DeliveryPublisher(new InProcessBus(), new OnlineSessions(new MemoryGrid()), log), log });
});
after(() => store.close());

const code = (expected: string) => (err: unknown) => err instanceof FscError && err.code === expected;
const friendIds = async (uid: string) => (await friends.list({ uid, since: 0 })).map((f) => f.uid).sort();

test('a request can be accepted once, with status 0 as the Android app sends it; both become friends and are greeted', async () => {
  await friends.request({ uid: 'f-ann', target: 'f-ben', reason: 'hi ben' });
  const [incoming] = await friends.requests({ uid: 'f-ben', since: 0 });
  assert.deepEqual([incoming?.from, incoming?.target, incoming?.direction, incoming?.reason], ['f-ann', 'f-ben', 1, 'hi ben']);
  await friends.handle({ uid: 'f-ben', clientId: 'ben-phone', from: 'f-ann', status: 0 });
  assert.deepEqual([await friendIds('f-ann'), await friendIds('f-ben')], [['f-ben'], ['f-ann']]);
  assert.deepEqual(sent.splice(0).map((m) => [m.uid, m.conversation.target, m.content.type, m.content.searchableContent]), [
    ['f-ann', 'f-ben', ContentType.TEXT, 'hi ben'],
    ['f-ben', 'f-ann', ContentType.TIP, undefined],
  ]);
  await assert.rejects(friends.handle({ uid: 'f-ben', clientId: 'ben-phone', from: 'f-ann', status: 1 }), code('INVALID_DATA'), 'handled already');
  await assert.rejects(friends.request({ uid: 'f-ann', target: 'f-ben', reason: '' }), code('INVALID_DATA'), 'already friends');
});

test('refusals change nothing: unknown users, oneself, bad statuses, a request that does not exist, the blacklist', async () => {
  await assert.rejects(friends.request({ uid: 'f-cat', target: 'f-nobody', reason: '' }), code('NOT_EXIST'));
  await assert.rejects(friends.request({ uid: 'f-cat', target: 'f-cat', reason: '' }), (err: unknown) => err instanceof FscError);
  await assert.rejects(friends.request({ uid: 'f-cat', target: 'f-dan', reason: 'x'.repeat(513) }), code('INVALID_DATA'));
  await assert.rejects(friends.handle({ uid: 'f-dan', clientId: 'p', from: 'f-cat', status: 0 }), code('NOT_EXIST'));
  await friends.request({ uid: 'f-cat', target: 'f-dan', reason: '' });
  await assert.rejects(friends.handle({ uid: 'f-dan', clientId: 'p', from: 'f-cat', status: 7 }), code('INVALID_DATA'));
  assert.deepEqual(await friendIds('f-dan'), []);
  await friends.handle({ uid: 'f-dan', clientId: 'p', from: 'f-cat', status: 2 });
  assert.deepEqual(await friendIds('f-dan'), [], 'a rejected request makes no friends');
  assert.deepEqual(sent.splice(0), [], 'and sends no greeting');

  await friends.setBlacklisted({ uid: 'f-dan', target: 'f-cat', blacklisted: true });
  await assert.rejects(friends.request({ uid: 'f-cat', target: 'f-dan', reason: 'please' }), code('BLACKLISTED'));
  await assert.rejects(friends.setBlacklisted({ uid: 'f-dan', target: 'f-cat', blacklisted: 'yes' as never }), code('INVALID_DATA'));
  await assert.rejects(friends.delete({ uid: 'f-dan', target: 'f-ann' }), code('NOT_EXIST'));
});
