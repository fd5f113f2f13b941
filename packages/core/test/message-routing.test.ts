import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConversationType, messageRouteKey } from '../src/index.ts';

test('both directions of a private chat route alike; a group routes by its id; other calls keep the default', () => {
  const send = (uid: string, type: number, target: string) => messageRouteKey('send', [{ uid, clientId: 'c', conversation: { type, target, line: 0 } }]);
  assert.equal(send('alice', ConversationType.PRIVATE, 'bob'), send('bob', ConversationType.PRIVATE, 'alice'));
  assert.notEqual(send('alice', ConversationType.PRIVATE, 'bob'), send('alice', ConversationType.PRIVATE, 'carol'));
  assert.equal(send('alice', ConversationType.GROUP, 'g1'), send('bob', ConversationType.GROUP, 'g1'));
  assert.equal(messageRouteKey('pull', [{ uid: 'alice', after: '0' }]), undefined);
  assert.equal(messageRouteKey('send', [{ uid: 'alice' }]), undefined);
  assert.equal(messageRouteKey('send', []), undefined);
});
