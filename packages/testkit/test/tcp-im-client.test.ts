import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import {
  FrameDecoder, Proto, Signal, SubSignal, decodeConnectBody, decodeDisconnectBody, encodeFrame, encodeSendMessageAck,
  pingBackText, pubAckParts,
} from '@fscpush/protocol';
import type { Frame } from '@fscpush/protocol';
import { RequestIdCounter, TcpImClient } from '../src/index.ts';

// A tiny fake server: just enough protocol to exercise the client.
let server: net.Server;
let port: number;
const received: Frame[] = [];

function reply(socket: net.Socket, signal: number, subSignal: number, messageId: number, body?: Uint8Array | Uint8Array[]): void {
  socket.write(encodeFrame({ signal, subSignal, messageId, ...(body === undefined ? {} : { body }) }));
}

function onFrame(socket: net.Socket, frame: Frame): void {
  received.push(frame);
  if (frame.signal === Signal.CONNECT) {
    const { password } = decodeConnectBody(frame.body);
    if (password !== 'good') {
      reply(socket, Signal.CONNECT_ACK, SubSignal.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, 0);
      socket.end();
      return;
    }
    reply(socket, Signal.CONNECT_ACK, SubSignal.CONNECTION_ACCEPTED, 0, Proto.ConnectAckPayload.encode({ msgHead: 5, serverTime: 1 }));
  } else if (frame.signal === Signal.PING) {
    reply(socket, Signal.PING, 0, frame.messageId, Buffer.from(pingBackText(120000)));
  } else if (frame.signal === Signal.DISCONNECT) {
    socket.end();
  } else if (frame.signal === Signal.PUBLISH && frame.subSignal === SubSignal.MS) {
    const msg = Proto.Message.decode(frame.body);
    reply(socket, Signal.PUB_ACK, SubSignal.MS, frame.messageId, pubAckParts(0, encodeSendMessageAck(99, 1700000000000)));
    reply(socket, Signal.PUBLISH, SubSignal.MN, 0, Proto.NotifyMessage.encode({ type: 0, head: msg.content.searchableContent === 'hi' ? 6 : 0 }));
  } else if (frame.signal === Signal.PUBLISH && frame.subSignal === SubSignal.MP) {
    const { id } = Proto.PullMessageRequest.decode(frame.body);
    const message = { conversation: { type: 0, target: 'bob', line: 0 }, fromUser: 'alice', content: { type: 1, searchableContent: 'hi' }, messageId: 99, serverTimestamp: 5 };
    reply(socket, Signal.PUB_ACK, SubSignal.MP, frame.messageId, pubAckParts(0, Proto.PullMessageResult.encode({ message: [message], current: BigInt(id) + 1n, head: 6 })));
  } else if (frame.signal === Signal.PUBLISH && frame.subSignal === SubSignal.MR) {
    reply(socket, Signal.PUB_ACK, SubSignal.MR, frame.messageId, pubAckParts(253));
  } else if (frame.signal === Signal.PUBLISH && frame.subSignal === SubSignal.GMI) {
    // first an answer with the request's id under another sub-signal, then the real one
    reply(socket, Signal.PUB_ACK, SubSignal.MP, frame.messageId, pubAckParts(0));
    reply(socket, Signal.PUB_ACK, SubSignal.GMI, frame.messageId, pubAckParts(0));
  } else if (frame.signal === Signal.PUBLISH && frame.subSignal === SubSignal.GQ) {
    socket.destroy();
  } else if (frame.signal === Signal.PUBLISH && frame.subSignal === SubSignal.GD) {
    socket.write(Buffer.from('garbage'));
  }
  // US: never answered.
}

before(async () => {
  server = net.createServer((socket) => {
    const decoder = new FrameDecoder();
    socket.on('data', (chunk) => {
      try {
        for (const frame of decoder.push(chunk)) onFrame(socket, frame);
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function connected(): Promise<TcpImClient> {
  const client = new TcpImClient({ requestTimeoutMs: 1000 });
  const result = await client.connect({ host: '127.0.0.1', port, userName: 'bob', password: 'good', clientId: 'c1' });
  assert.deepEqual(result, { accepted: true, code: 'CONNECTION_ACCEPTED', subSignal: 1, ack: { msgHead: '5', serverTime: '1' } });
  return client;
}

test('connect sends the JSON CONNECT body and resolves with the ConnectAckPayload', async () => {
  const client = await connected();
  const connect = received.findLast((f) => f.signal === Signal.CONNECT)!;
  assert.deepEqual(decodeConnectBody(connect.body), { userName: 'bob', password: 'good', clientIdentifier: 'c1' });
  await client.close();
});

test('Android options: PING right after CONNECT, one id counter across connections, answers matched by sub-signal', async () => {
  const ids = new RequestIdCounter(65534);
  const pings: Promise<string>[] = [];
  const options = { requestIds: ids, matchSubSignal: true, onConnectSent: (c: TcpImClient) => pings.push(c.ping(120000)) };
  const first = new TcpImClient(options);
  const before = received.length;
  await first.connect({ host: '127.0.0.1', port, userName: 'bob', password: 'good', clientId: 'c1' });
  assert.deepEqual(received.slice(before).map((f) => [f.signal, f.messageId]), [[Signal.CONNECT, 0], [Signal.PING, 65535]], 'PING follows CONNECT at once');
  assert.match(await pings[0]!, /^ping back/);
  const ack = await first.request('GMI', Proto.ModifyGroupInfoRequest.encode({ groupId: 'g', type: 0, value: 'n' }));
  assert.deepEqual([ack.subSignal, ack.messageId], [SubSignal.GMI, 1], 'the id wrapped to 1; the MP answer with the same id did not settle it');
  const stray = await first.waitForPush((p) => p.signal === Signal.PUB_ACK);
  assert.deepEqual([stray.subSignal, stray.messageId], [SubSignal.MP, 1]);
  await first.close();
  const second = new TcpImClient(options);
  await second.connect({ host: '127.0.0.1', port, userName: 'bob', password: 'good', clientId: 'c1' });
  assert.equal(received.findLast((f) => f.signal === Signal.PING)!.messageId, 2, 'the next connection continues the counter');
  await second.close();
});

test('a refusal resolves with accepted=false, then the server closes', async () => {
  const client = new TcpImClient();
  const result = await client.connect({ host: '127.0.0.1', port, userName: 'bob', password: 'bad', clientId: 'c1' });
  assert.deepEqual(result, { accepted: false, code: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD', subSignal: 5 });
  assert.equal((await client.closed).initiator, 'remote');
});

test('connecting to a closed port rejects', async () => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const freePort = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await assert.rejects(new TcpImClient().connect({ host: '127.0.0.1', port: freePort, userName: 'u', password: 'p', clientId: 'c' }), { code: 'CLOSED' });
});

test('sendText, the MN push (even if it arrived first) and pull', async () => {
  const client = await connected();
  assert.deepEqual(await client.sendText({ type: 0, target: 'alice' }, 'hi'), { ok: true, errorCode: 0, messageId: '99', timestamp: 1700000000000 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(await client.waitForNotify(), { head: '6', type: 0 });
  const pulled = await client.pull('5');
  assert.equal(pulled.ok, true);
  assert.deepEqual([pulled.current, pulled.head], ['6', '6']);
  assert.equal(pulled.messages[0]!.target, 'alice', 'a private message to bob shows the sender as target');
  const ms = received.findLast((f) => f.subSignal === SubSignal.MS)!;
  assert.equal(Proto.Message.decode(ms.body).fromUser, 'bob');
  await client.close();
});

test('request resolves with the error byte and the rest of the body', async () => {
  const client = await connected();
  const ack = await client.request('MR', Proto.INT64Buf.encode({ id: 1 }));
  assert.equal(ack.errorCode, 253);
  assert.equal(ack.body.length, 0);
  assert.equal(ack.subSignal, SubSignal.MR);
  assert.equal((await client.sendText({ type: 0, target: 'x' }, 'x')).ok, true);
  await client.close();
});

test('ping resolves with the echo text', async () => {
  const client = await connected();
  assert.equal(await client.ping(120000), 'ping back next interval 120000');
  await client.close();
});

test('an unanswered request times out; pending requests fail when the socket closes', async () => {
  const client = await connected();
  await assert.rejects(client.request(SubSignal.US, Buffer.alloc(0), { timeoutMs: 30 }), { code: 'TIMEOUT' });
  const pending = client.request(SubSignal.US, Buffer.alloc(0));
  const killer = client.request(SubSignal.GQ, Buffer.alloc(0));
  await assert.rejects(pending, { code: 'CLOSED' });
  await assert.rejects(killer, { code: 'CLOSED' });
  assert.equal((await client.closed).initiator, 'remote');
  await assert.rejects(client.waitForNotify(10), { code: 'CLOSED' });
  assert.throws(() => client.sendRawFrame(Buffer.of(1)), { code: 'NOT_CONNECTED' });
});

test('garbage from the server is recorded and closes the connection', async () => {
  const client = await connected();
  await assert.rejects(client.request(SubSignal.GD, Buffer.alloc(0)), { code: 'CLOSED' });
  assert.equal(client.protocolErrors.length, 1);
  assert.equal((client.protocolErrors[0] as { code?: string }).code, 'FRAME_BAD_MAGIC');
});

test('disconnect sends the clearSession byte and waits for the close', async () => {
  const client = await connected();
  const info = await client.disconnect(true);
  assert.equal(info.initiator, 'local');
  const frame = received.findLast((f) => f.signal === Signal.DISCONNECT)!;
  assert.equal(decodeDisconnectBody(frame.body), true);
});

test('sendRawFrame reaches the server untouched', async () => {
  const client = await connected();
  client.sendRawFrame(encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal.US, messageId: 4242, body: Buffer.from('raw') }));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(received.findLast((f) => f.messageId === 4242)!.body.toString(), 'raw');
  await client.close();
});
