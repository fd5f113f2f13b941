import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageDto } from '@fscpush/core';
import { FrameDecoder, Proto, Signal, SubSignal, buildWsEnvelope, decodeInt64BE, encodeFrame, signalName, splitPubAck, subSignalName } from '@fscpush/protocol';
import { pushToTcp, pushToWs, type Push } from '../src/pushes/index.ts';

const message: MessageDto = {
  conversation: { type: 0, target: 'u-bob', line: 0 },
  fromUser: 'u-alice',
  content: { type: 91, searchableContent: 'typing' },
  messageId: '590112345678901248',
  serverTimestamp: 1796230000123,
};

/** Each push through both wires: the TCP frame as the Android SDK decodes it, the WS envelope as vue-chat parses it. */
const CASES: { push: Push; signal: Signal; subSignal: SubSignal; tcp: (body: Uint8Array) => unknown; ws: unknown }[] = [
  { push: { kind: 'MN', head: '590112345678901301' }, signal: Signal.PUBLISH, subSignal: SubSignal.MN, tcp: (b) => Proto.NotifyMessage.decode(b).head, ws: { messageHead: '590112345678901301', type: 0 } },
  { push: { kind: 'RMN', messageId: '77', fromUser: 'u-alice' }, signal: Signal.PUBLISH, subSignal: SubSignal.RMN, tcp: (b) => { const r = Proto.NotifyRecallMessage.decode(b); return [r.id, r.fromUser]; }, ws: { fromUser: 'u-alice', messageUid: '77' } },
  { push: { kind: 'MRP', receipt: 1, reader: 'u-bob', messageId: '77' }, signal: Signal.PUBLISH, subSignal: SubSignal.MRP, tcp: (b) => JSON.parse(Buffer.from(b).toString('utf8')), ws: undefined },
  { push: { kind: 'FRN', version: '1796230000999' }, signal: Signal.PUBLISH, subSignal: SubSignal.FRN, tcp: (b) => decodeInt64BE(b), ws: { version: '1796230000999' } },
  { push: { kind: 'FN', head: '17' }, signal: Signal.PUBLISH, subSignal: SubSignal.FN, tcp: (b) => decodeInt64BE(b), ws: { head: '17' } },
  { push: { kind: 'MP', message }, signal: Signal.PUB_ACK, subSignal: SubSignal.MP, tcp: (b) => { const ack = splitPubAck(b); return [ack.errorCode, Proto.PullMessageResult.decode(ack.payload).message.map((m) => m.messageId)]; }, ws: undefined },
];

test('every push kind has a TCP frame and a WS envelope with its signal and content', () => {
  const expectedTcp: Record<Push['kind'], unknown> = {
    MN: '590112345678901301',
    RMN: ['77', 'u-alice'],
    MRP: undefined,
    FRN: '1796230000999',
    FN: '17',
    MP: [0, ['590112345678901248']],
  };
  assert.deepEqual(CASES.map((c) => c.push.kind).sort(), Object.keys(expectedTcp).sort());
  for (const c of CASES) {
    const [frame] = new FrameDecoder().push(encodeFrame({ ...pushToTcp(c.push), messageId: 0 }));
    assert.equal(frame!.signal, c.signal, c.push.kind);
    assert.equal(frame!.subSignal, c.subSignal, c.push.kind);
    const decoded = c.tcp(frame!.body);
    if (c.push.kind === 'MRP') assert.deepEqual(decoded, JSON.parse(JSON.stringify(pushToWs(c.push, 'u-alice').content)), 'MRP: the same JSON on both wires');
    else assert.deepEqual(decoded, expectedTcp[c.push.kind], c.push.kind);

    const envelope = JSON.parse(buildWsEnvelope(pushToWs(c.push, 'u-bob'))) as { signal: string; subSignal: string; content: string };
    assert.equal(envelope.signal, signalName(c.signal), c.push.kind);
    assert.equal(envelope.subSignal, subSignalName(c.subSignal), c.push.kind);
    const content = JSON.parse(envelope.content) as Record<string, unknown>;
    if (c.ws !== undefined) assert.deepEqual(content, c.ws, c.push.kind);
  }
  const mp = JSON.parse(JSON.parse(buildWsEnvelope(pushToWs({ kind: 'MP', message }, 'u-bob'))).content) as { messageCount: number; messageResponseList: { messageId: string }[] };
  assert.equal(mp.messageCount, 1);
  assert.equal(mp.messageResponseList[0]!.messageId, '590112345678901248');
});
