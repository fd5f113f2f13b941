import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { SubSignal, buildWsEnvelope, isWsHeartbeat, parseWsEnvelope } from '@fscpush/protocol';
import type { WsInbound } from '@fscpush/protocol';
import { WsImClient } from '../src/index.ts';

// A tiny fake server speaking the web envelope.
let server: WebSocketServer;
let port: number;
const received: (WsInbound | 'heartbeat')[] = [];

function onText(ws: WebSocket, text: string): void {
  if (isWsHeartbeat(text)) {
    received.push('heartbeat');
    return;
  }
  const env = parseWsEnvelope(text);
  received.push(env);
  const content = env.content as Record<string, unknown> | null;
  if (env.signal === 6) {
    if (content?.password !== 'good') {
      ws.send(buildWsEnvelope({ signal: 'CONNECT_ACK', subSignal: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD' }));
      ws.close();
      return;
    }
    ws.send(buildWsEnvelope({ signal: 'CONNECT_ACK', subSignal: 'CONNECTION_ACCEPTED', content: { messageHead: '5', friendHead: 0 } }));
  } else if (env.signal === 8) {
    ws.close();
  } else if (env.subSignal === SubSignal.MS) {
    ws.send(buildWsEnvelope({ signal: 'PUB_ACK', subSignal: 'MS', messageId: env.messageId, content: { messageId: '580000000000000123', timestamp: 1700000000000 } }));
    ws.send(buildWsEnvelope({ signal: 'PUBLISH', subSignal: 'MN', content: { messageHead: '6', type: 0 } }));
  } else if (env.subSignal === SubSignal.MP) {
    const list = [{ from: 'alice', target: 'alice', conversationType: 0, line: 0, messageId: '1', timestamp: 1, content: { type: 1, searchableContent: 'hi' } }];
    ws.send(buildWsEnvelope({ signal: 'PUB_ACK', subSignal: 'MP', messageId: env.messageId, content: { current: '6', head: '6', messageCount: 1, messageResponseList: list } }));
  } else if (env.subSignal === SubSignal.FP) {
    ws.send(buildWsEnvelope({ signal: 'PUB_ACK', subSignal: 'MP', messageId: 0, content: { unsolicited: true } }));
    ws.send(buildWsEnvelope({ signal: 'PUB_ACK', subSignal: 'FP', messageId: env.messageId, content: [] }));
  } else if (env.subSignal === SubSignal.MR) {
    ws.send(buildWsEnvelope({ signal: 'PUB_ACK', subSignal: 'MR', messageId: env.messageId, content: '' }));
  } else if (env.subSignal === SubSignal.GD) {
    ws.send('not json');
    ws.send(Buffer.from('bin'));
    ws.send(buildWsEnvelope({ signal: 'PUBLISH', subSignal: 'RMN', content: { fromUser: 'alice', messageUid: '9' } }));
  } else if (env.subSignal === SubSignal.GQ) {
    ws.terminate();
  }
}

before(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (ws) => ws.on('message', (data, isBinary) => {
    if (!isBinary) onText(ws, String(data));
  }));
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function connected(): Promise<WsImClient> {
  const client = new WsImClient({ requestTimeoutMs: 1000 });
  const result = await client.connect({ host: '127.0.0.1', port, userName: 'bob', password: 'good', clientId: 'd1' });
  assert.deepEqual(result, { accepted: true, code: 'CONNECTION_ACCEPTED', subSignal: 1, ack: { messageHead: '5', friendHead: 0 } });
  return client;
}

test('connect sends the web CONNECT envelope', async () => {
  const client = await connected();
  assert.deepEqual(received.findLast((e) => e !== 'heartbeat' && e.signal === 6), {
    signal: 6, subSignal: 0, messageId: 0, content: { userName: 'bob', password: 'good', clientIdentifier: 'd1' },
  });
  await client.close();
});

test('a refusal resolves with the sub-signal name', async () => {
  const client = new WsImClient();
  const result = await client.connect({ host: '127.0.0.1', port, userName: 'bob', password: 'bad', clientId: 'd1' });
  assert.deepEqual(result, { accepted: false, code: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD', subSignal: 5 });
  assert.equal((await client.closed).initiator, 'remote');
});

test('sendText, MN and pull', async () => {
  const client = await connected();
  assert.deepEqual(await client.sendText({ type: 0, target: 'alice' }, 'hi'), { ok: true, messageId: '580000000000000123', timestamp: 1700000000000 });
  const ms = received.findLast((e) => e !== 'heartbeat' && e.subSignal === SubSignal.MS) as WsInbound;
  assert.equal(typeof ms.messageId, 'number');
  assert.deepEqual((ms.content as { content: unknown }).content, { type: 1, searchableContent: 'hi', mentionedType: 0, mentionedTargets: [] });
  assert.deepEqual(await client.waitForNotify(), { head: '6', type: 0 });
  const pulled = await client.pull('5', 1);
  assert.deepEqual([pulled.ok, pulled.current, pulled.head, pulled.messages.length], [true, '6', '6', 1]);
  const mp = received.findLast((e) => e !== 'heartbeat' && e.subSignal === SubSignal.MP) as WsInbound;
  assert.deepEqual(mp.content, { messageId: '5', type: 0, pullType: 1, sendMessageCount: 0 });
  await client.close();
});

test('"" content is a failure; unsolicited PUB_ACK becomes a push', async () => {
  const client = await connected();
  assert.deepEqual(await client.requestJson('MR', { messageUid: '1' }), { ok: false, json: undefined });
  assert.deepEqual(await client.requestJson('FP', { version: 0 }), { ok: true, json: [] });
  const push = await client.waitForPush((p) => p.subSignalName === 'MP');
  assert.deepEqual([push.signalName, push.messageId, push.content], ['PUB_ACK', 0, '{"unsolicited":true}']);
  await client.close();
});

test('heartbeat text, bad server output and the RMN push', async () => {
  const client = await connected();
  await client.ping();
  client.sendRawText(JSON.stringify({ signal: 'PUBLISH', subSignal: 'GD', messageId: 77, content: {} }));
  assert.deepEqual(await client.waitForRecall(), { messageId: '9', fromUser: 'alice' });
  assert.equal(received.includes('heartbeat'), true);
  assert.deepEqual(client.protocolErrors.map((e) => (e as { code?: string }).code), ['WS_BAD_ENVELOPE', 'BAD_RESPONSE']);
  await client.close();
});

test('pending requests fail when the socket drops; disconnect sends clearSession', async () => {
  const client = await connected();
  await assert.rejects(client.request('US', { keyword: 'x' }, { timeoutMs: 20 }), { code: 'TIMEOUT' });
  await assert.rejects(client.request('GQ', { groupId: 'g' }), { code: 'CLOSED' });
  assert.equal((await client.closed).code, 1006);

  const other = await connected();
  const info = await other.disconnect(true);
  assert.equal(info.initiator, 'local');
  const last = received.findLast((e) => e !== 'heartbeat' && e.signal === 8) as WsInbound;
  assert.deepEqual(last.content, { clearSession: 1 });
});
