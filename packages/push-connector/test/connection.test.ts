import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FscError, type ConnectResult, type PullResult, type SendResult } from '@fscpush/core';
import { ErrorCode, Proto, SubSignal } from '@fscpush/protocol';
import { PUBLISH_HANDLERS } from '../src/handlers/index.ts';
import { RecordingConnection, testHost } from './recording-connection.ts';

/** An MS request as the TCP decoder makes it from the Android app's bytes. */
const SEND = PUBLISH_HANDLERS.get(SubSignal.MS)!.fromTcp(
  Proto.Message.encode({ conversation: { type: 0, target: 'u-alice', line: 0 }, fromUser: '', content: { type: 1, searchableContent: 'hi' }, messageId: '0', serverTimestamp: '0', to: [] }),
);

const ACCEPTED: ConnectResult = { ok: true, uid: 'u-bob', msgHead: '10', friendHead: '0', friendRqHead: '0', settingHead: '0', serverTime: 1 };

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const sessions = (result: ConnectResult = ACCEPTED) => ({ connect: async () => result, disconnect: async () => undefined });

test('CONNECT: accepted opens and attaches once; a second CONNECT closes; a refusal is answered, then closed', async () => {
  const host = testHost({ sessions: sessions() });
  const conn = new RecordingConnection(host);
  assert.equal(conn.state, 'awaiting-connect');
  await conn.connect('u-bob', 'pw', 'bob-phone');
  assert.equal(conn.state, 'open');
  assert.deepEqual(conn.connectAck, ACCEPTED);
  assert.deepEqual([conn.uid, conn.clientId, host.attached.length], ['u-bob', 'bob-phone', 1]);
  await conn.connect('u-bob', 'pw', 'bob-phone');
  assert.equal(conn.closedFor, 'CONNECT sent twice');
  assert.equal(host.detached.length, 1);

  const refused = new RecordingConnection(testHost({ sessions: sessions({ ok: false, refusal: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD' }) }));
  await refused.connect('u-bob', 'wrong', 'bob-phone');
  assert.deepEqual(refused.connectAck, { ok: false, refusal: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD' });
  assert.equal(refused.state, 'closed');
  assert.match(refused.closedFor!, /refused/);

  const failing = new RecordingConnection(testHost({ sessions: { connect: async () => Promise.reject(new Error('push-group down')) } }));
  await failing.connect('u-bob', 'pw', 'bob-phone');
  assert.deepEqual(failing.connectAck, { ok: false, refusal: 'CONNECTION_REFUSED_SERVER_UNAVAILABLE' });
});

test('PUBLISH before CONNECT closes; unknown sub-signals, bad bodies and service errors are answered with their codes', async () => {
  const early = new RecordingConnection(testHost());
  early.publish(SubSignal.MS, 1, {});
  assert.match(early.closedFor!, /before CONNECT/);

  const conn = new RecordingConnection(testHost({ sessions: sessions(), messages: { send: async () => Promise.reject(new FscError('NOT_IN_GROUP')) } }));
  await conn.connect('u-bob', 'pw', 'bob-phone');
  conn.publish(0x7e, 1, {});
  conn.publish(SubSignal.MS, 2, () => {
    throw new Error('truncated protobuf');
  });
  conn.publish(SubSignal.MS, 3, SEND);
  await turn();
  assert.deepEqual(
    conn.acks.map((a) => [a.messageId, a.ok, a.code]),
    [
      [1, false, ErrorCode.NOT_IMPLEMENTED],
      [2, false, ErrorCode.INVALID_DATA],
      [3, false, new FscError('NOT_IN_GROUP').protocolCode],
    ],
  );
  assert.equal(conn.state, 'open', 'bad requests do not close the connection');
});

test('at most 64 requests in flight: the 65th is answered OVER_FREQUENCY at once, and capacity returns as answers leave', async () => {
  const pending: ReturnType<typeof deferred<SendResult>>[] = [];
  const conn = new RecordingConnection(testHost({ sessions: sessions(), messages: { send: () => { const d = deferred<SendResult>(); pending.push(d); return d.promise; } } }));
  await conn.connect('u-bob', 'pw', 'bob-phone');
  const send = SEND;
  for (let id = 1; id <= 65; id++) conn.publish(SubSignal.MS, id, send);
  assert.deepEqual(conn.acks.map((a) => [a.messageId, a.code]), [[65, ErrorCode.OVER_FREQUENCY]]);
  // sends are ordered: they reach push-group one after another
  for (let i = 0; i < 64; i++) {
    for (let t = 0; t < 5 && pending.length <= i; t++) await turn();
    assert.equal(pending.length, i + 1, 'the next send starts only after the previous one is answered');
    pending[i]!.resolve({ messageId: String(1000 + i), timestamp: 1 });
  }
  await turn();
  assert.deepEqual(conn.acks.filter((a) => a.ok).map((a) => a.messageId), Array.from({ length: 64 }, (_, i) => i + 1), 'answered in order');
  conn.publish(SubSignal.MS, 66, send);
  await turn();
  assert.equal(pending.length, 65, 'room again once answers left');
});

test('MN is held while a pull is pending; after it one MN names the first seq the device still lacks', async () => {
  const pulls: { after: string; answer: ReturnType<typeof deferred<PullResult>> }[] = [];
  const conn = new RecordingConnection(
    testHost({
      sessions: sessions(),
      messages: {
        pull: (req: { after: string }) => {
          const answer = deferred<PullResult>();
          pulls.push({ after: req.after, answer });
          return answer.promise;
        },
      },
    }),
  );
  await conn.connect('u-bob', 'pw', 'bob-phone'); // CONNECT_ACK head 10: the device holds 10
  conn.notify('11');
  assert.deepEqual(conn.written, ['MN 11']);
  conn.publish(SubSignal.MP, 1, { cursor: 10n, afterNotify: false, transport: 'tcp' });
  await turn();
  conn.notify('12');
  conn.notify('13');
  assert.deepEqual(conn.written, ['MN 11'], 'held while the pull is pending');
  // the pull stops short (a page): it gave 11 only, the head is 13
  pulls[0]!.answer.resolve({ messages: [], current: '11', head: '13' });
  await turn();
  assert.deepEqual(pulls.map((p) => p.after), ['10']);
  assert.deepEqual(conn.written, ['MN 11', 'MN 12'], 'one MN, naming current + 1 (the Android app pulls from head - 1)');
  conn.publish(SubSignal.MP, 2, { cursor: 11n, afterNotify: false, transport: 'tcp' });
  await turn();
  pulls[1]!.answer.resolve({ messages: [], current: '13', head: '13' });
  await turn();
  conn.notify('13');
  assert.deepEqual(conn.written, ['MN 11', 'MN 12'], 'nothing owed: no MN for what the device holds');
});
