import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebMessage } from '@fscpush/protocol';
import { MessageStore } from '../src/index.ts';

function pulled(messageId: string, from: string, type = 1): WebMessage {
  return {
    from, target: 'peer', conversationType: 0, line: 0, messageId, timestamp: 1,
    content: { type, searchableContent: `text ${messageId}`, pushContent: '', content: '', binaryContent: '', mediaType: 0, remoteMediaUrl: '', mentionedType: 0, mentionedTargets: [] },
  };
}

const own = { messageId: '7', from: 'me', conversationType: 0, target: 'peer', type: 1, text: 'typed', binaryContent: '' };

test('the Android store merges its own send pulled back by uid; the web store shows it twice', () => {
  const android = new MessageStore('by-uid');
  const web = new MessageStore('by-local-id');
  for (const store of [android, web]) {
    store.keepLocal(own);
    assert.equal(store.receive([pulled('7', 'me'), pulled('8', 'peer')]), 0);
    assert.deepEqual(store.echoes, ['7']);
  }
  assert.deepEqual(android.shown.map((m) => [m.messageId, m.local]), [['7', true], ['8', false]]);
  assert.deepEqual(web.shown.map((m) => [m.messageId, m.local]), [['7', true], ['7', false], ['8', false]]);
});

test('a message pulled again is merged and counted; a recall turns it into type 80, also when it comes later', () => {
  const store = new MessageStore('by-uid');
  store.receive([pulled('1', 'peer'), pulled('2', 'peer')]);
  assert.equal(store.receive([pulled('2', 'peer'), pulled('3', 'peer')]), 1);
  assert.deepEqual(store.repeats, ['2']);
  assert.deepEqual(store.shown.map((m) => m.messageId), ['1', '2', '3']);
  store.recall('1');
  store.recall('4');
  store.receive([pulled('4', 'peer')]);
  assert.deepEqual(store.shown.map((m) => [m.messageId, m.type]), [['1', 80], ['2', 1], ['3', 1], ['4', 80]]);
  assert.equal(store.get('1')?.type, 80);
});
