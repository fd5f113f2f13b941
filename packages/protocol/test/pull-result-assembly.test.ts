import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Proto,
  assemblePullResult,
  assembleWebPullResult,
  pullResultToWebJson,
  stringifyJson,
  webMessageText,
  type Message,
} from '../src/index.ts';

const group: Message = {
  conversation: { type: 1, target: 'g1', line: 0 },
  fromUser: 'alice',
  content: { type: 1, searchableContent: 'hello "group" \\ 你好 😀\n', mentionedType: 1, mentionedTarget: ['bob'] },
  messageId: '9223372036854775807',
  serverTimestamp: '1764650000000',
  to: [],
};
const privateToBob: Message = {
  conversation: { type: 0, target: 'bob', line: 0 },
  fromUser: 'alice',
  content: { type: 3, data: Buffer.from([0, 1, 2, 250]), remoteMediaUrl: 'http://m/x.jpg', mediaType: 1, mentionedTarget: [] },
  messageId: '9007199254740993',
  serverTimestamp: '1764650000001',
  to: ['bob'],
};

const cases: { name: string; messages: Message[]; current: string; head: string }[] = [
  { name: 'no messages', messages: [], current: '0', head: '0' },
  { name: 'a group and a private message, ids above 2^53', messages: [group, privateToBob], current: '9007199254740993', head: '9223372036854775807' },
  { name: 'one message', messages: [group], current: '5', head: '7' },
];

for (const c of cases) {
  test(`TCP pull result from pre-encoded messages is the full encoder's bytes: ${c.name}`, () => {
    const whole = Proto.PullMessageResult.encode({ message: c.messages, current: c.current, head: c.head });
    const assembled = assemblePullResult(c.messages.map((m) => Proto.Message.encode(m)), c.current, c.head);
    assert.deepEqual(Buffer.from(assembled), Buffer.from(whole));
    const decoded = Proto.PullMessageResult.decode(assembled);
    assert.equal(decoded.current, c.current);
    assert.equal(decoded.head, c.head);
    assert.deepEqual(decoded.message.map((m) => m.messageId), c.messages.map((m) => m.messageId));
  });

  for (const self of ['bob', 'alice', 'carol']) {
    test(`web pull result from pre-serialised messages is the object form's text: ${c.name}, read by ${self}`, () => {
      const whole = stringifyJson(pullResultToWebJson({ message: c.messages, current: c.current, head: c.head }, self));
      const assembled = assembleWebPullResult(c.messages.map((m) => webMessageText(m, self)), c.current, c.head);
      assert.equal(assembled, whole);
    });
  }
}
