import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ProtocolError, connectAckToWebJson, friendNotifyToWebJson, friendRequestNotifyToWebJson, messageToWebJson,
  notifyToWebJson, parseWebPull, pullResultToWebJson, recallNotifyToWebJson, sendAckToWebJson, webPullToRequest,
  webSendToMessage,
} from '../src/index.ts';
import type { Message } from '../src/index.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, String(err));
    return err.code;
  }
  return 'no error';
}

const privateMsg: Message = {
  conversation: { type: 0, target: 'bob', line: 0 },
  fromUser: 'alice',
  content: { type: 1, searchableContent: 'hi', mentionedTarget: [] },
  messageId: '580000000000000123',
  serverTimestamp: '1700000000000',
  to: [],
};

test('messageToWebJson fills every field the web client reads', () => {
  assert.deepEqual(messageToWebJson(privateMsg, 'alice'), {
    from: 'alice', target: 'bob', conversationType: 0, line: 0, messageId: '580000000000000123', timestamp: 1700000000000,
    content: {
      type: 1, searchableContent: 'hi', pushContent: '', content: '', binaryContent: '', mediaType: 0, remoteMediaUrl: '',
      mentionedType: 0, mentionedTargets: [],
    },
  });
});

test('a private message delivered to its receiver targets the sender', () => {
  assert.equal(messageToWebJson(privateMsg, 'bob').target, 'alice');
  assert.equal(messageToWebJson(privateMsg).target, 'bob');
  const group = { ...privateMsg, conversation: { type: 1, target: 'g1', line: 0 } };
  assert.equal(messageToWebJson(group, 'bob').target, 'g1');
});

test('media content and binary data', () => {
  const msg: Message = {
    ...privateMsg,
    content: {
      type: 3, data: Buffer.from('thumb'), mediaType: 1, remoteMediaUrl: 'http://m/1.jpg', mentionedType: 1,
      mentionedTarget: ['x'], content: 'c', pushContent: 'p', searchableContent: '[图片]',
    },
  };
  const web = messageToWebJson(msg, 'alice').content;
  assert.equal(web.binaryContent, Buffer.from('thumb').toString('base64'));
  assert.deepEqual([web.mediaType, web.remoteMediaUrl, web.mentionedType, web.mentionedTargets, web.content, web.pushContent],
    [1, 'http://m/1.jpg', 1, ['x'], 'c', 'p']);
});

test('webSendToMessage maps the cs MS request', () => {
  const json = {
    conversationType: 0, target: 'bob', line: 0, from: 'alice',
    content: { type: 1, searchableContent: 'hi', mentionedType: 0, mentionedTargets: [] },
    messageId: 1700000000000, direction: 0, status: 0, messageUid: 0, timestamp: 1700000000000, to: '',
  };
  assert.deepEqual(webSendToMessage(json, 'alice'), {
    conversation: { type: 0, target: 'bob', line: 0 }, fromUser: 'alice',
    content: { type: 1, searchableContent: 'hi', mentionedType: 0, mentionedTarget: [] }, to: [],
  });
  assert.equal(webSendToMessage(json).fromUser, 'alice');
});

test('webSendToMessage maps media, fs tos and lenient numbers', () => {
  const msg = webSendToMessage({
    conversationType: '1', target: 'g1',
    content: { type: 3, binaryContent: Buffer.from([1, 2, 3]).toString('base64'), mediaType: 1, remoteMediaUrl: 'u', content: null, mentionedTargets: null },
    tos: ['a', 'b'],
  }, 'me');
  assert.deepEqual(msg.conversation, { type: 1, target: 'g1', line: 0 });
  assert.deepEqual([...msg.content.data!], [1, 2, 3]);
  assert.equal(msg.content.content, undefined);
  assert.deepEqual(msg.to, ['a', 'b']);
});

test('webSendToMessage rejects bad shapes with WS_BAD_CONTENT', () => {
  const ok = { conversationType: 0, target: 'b', content: { type: 1, searchableContent: 'x' } };
  const bad: unknown[] = [
    null, [], 'x',
    { ...ok, target: '' },
    { ...ok, target: 5 },
    { ...ok, conversationType: 'private' },
    { ...ok, conversationType: -1 },
    { ...ok, conversationType: 1.5 },
    { ...ok, content: null },
    { ...ok, content: { searchableContent: 'x' } },
    { ...ok, content: { type: 1, searchableContent: 5 } },
    { ...ok, content: { type: 1, binaryContent: '***' } },
    { ...ok, content: { type: 1, mentionedTargets: [1] } },
    { ...ok, tos: [1] },
  ];
  for (const json of bad) assert.equal(code(() => webSendToMessage(json, 'a')), 'WS_BAD_CONTENT', JSON.stringify(json));
});

test('MP request mapping follows the reference cursor rules', () => {
  assert.deepEqual(parseWebPull({ messageId: '10', type: 0, pullType: 0, sendMessageCount: '2' }),
    { cursor: '10', type: 0, pullType: 0, sendMessageCount: 2 });
  assert.deepEqual(webPullToRequest({ messageId: '10', type: 0, pullType: 0, sendMessageCount: '2' }), { id: '12', type: 0 });
  assert.deepEqual(webPullToRequest({ messageId: '10', type: 0, pullType: 1, sendMessageCount: 0 }), { id: '9', type: 0 });
  assert.deepEqual(webPullToRequest({ messageId: '580000000000000123', type: 0, pullType: 0 }), { id: '580000000000000123', type: 0 });
  assert.deepEqual(webPullToRequest({ messageId: 'undefined', type: 0, pullType: 0, sendMessageCount: 0 }), { id: '0', type: 0 });
  assert.deepEqual(webPullToRequest({ messageId: null, pullType: 1 }), { id: '0', type: 0 });
  assert.equal(code(() => webPullToRequest([])), 'WS_BAD_CONTENT');
});

test('sync results and pushes', () => {
  assert.deepEqual(pullResultToWebJson({ message: [privateMsg], current: '5', head: '7' }, 'bob'), {
    current: '5', head: '7', messageCount: 1, messageResponseList: [messageToWebJson(privateMsg, 'bob')],
  });
  assert.deepEqual(notifyToWebJson({ type: 0, head: '12' }), { messageHead: '12', type: 0 });
  assert.deepEqual(recallNotifyToWebJson({ id: '99', fromUser: 'a' }), { fromUser: 'a', messageUid: '99' });
  assert.deepEqual(connectAckToWebJson({ msgHead: '12', friendHead: '1700000000000' }), { messageHead: '12', friendHead: 1700000000000 });
  assert.deepEqual(connectAckToWebJson({}), { messageHead: '0', friendHead: 0 });
  assert.deepEqual(sendAckToWebJson(580000000000000123n, '1700000000000'), { messageId: '580000000000000123', timestamp: 1700000000000 });
  assert.deepEqual(friendNotifyToWebJson(3n), { head: '3' });
  assert.deepEqual(friendRequestNotifyToWebJson('4'), { version: '4' });
});
