import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { encodeFrame } from '@fscpush/protocol';
import type { TcpImClient, WsImClient } from '@fscpush/testkit';
import { TestServer, type LoggedIn } from './harness.ts';

describe('malformed and oversized input closes only the offending connection', () => {
  let t: TestServer;
  let alice: LoggedIn;
  let bob: LoggedIn;

  before(async () => {
    t = await TestServer.start({ overrides: { 'push.max.frame.bytes': 64 * 1024 } });
    alice = await t.login('13800004001', 'alice-r');
    bob = await t.login('13800004002', 'bob-r');
  });
  after(() => t.stop());

  async function bystanderStillChats(): Promise<void> {
    const sender = await t.connect('tcp', { ...alice, ...(await t.login('13800004001', `alice-r-${Math.random()}`)) });
    const receiver = await t.connect('ws', { ...bob, ...(await t.login('13800004002', `bob-r-${Math.random()}`)) });
    const ack = await sender.sendText({ type: 0, target: bob.userId }, 'still fine');
    assert.equal(ack.ok, true);
    await receiver.waitForNotify();
  }

  const badTcpInputs: [string, () => Buffer][] = [
    ['bad magic', () => Buffer.from([0x00, 0x02, 0x06, 0, 0, 0, 0, 0, 0, 1])],
    ['negative length', () => Buffer.from([0xf8, 0x02, 0x06, 0xff, 0xff, 0xff, 0xf0, 0, 0, 1])],
    ['length above the limit', () => Buffer.from([0xf8, 0x02, 0x09, 0x00, 0x10, 0x00, 0x00, 18, 0, 1])],
    ['signal NONE', () => encodeFrame({ signal: 0, subSignal: 0, messageId: 1, body: Buffer.from('{}') })],
  ];
  for (const [name, bytes] of badTcpInputs) {
    test(`TCP ${name}: the connection is closed, others unaffected`, async () => {
      const victim = await t.connect('tcp', { ...alice, ...(await t.login('13800004001', `victim-${name.replace(/ /g, "-")}`)) }) as TcpImClient;
      victim.sendRawFrame(bytes());
      const closed = await victim.closed;
      assert.equal(closed.initiator, 'remote');
      assert.ok((await t.logLines((l) => l['msg'] === 'bad TCP frame; closing connection' && typeof l['reason'] === 'string')).length > 0, 'the reason is logged');
      await bystanderStillChats();
    });
  }

  test('TCP garbage before CONNECT and a half frame then silence do not hurt the server', async () => {
    const raw = connect(t.server.ports.tcp, '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await new Promise<void>((resolve) => raw.once('close', () => resolve()));
    await bystanderStillChats();
  });

  test('a CONNECT body that is not JSON is refused and closed', async () => {
    const raw = connect(t.server.ports.tcp, '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    const chunks: Buffer[] = [];
    raw.on('data', (c) => chunks.push(c));
    raw.write(encodeFrame({ signal: 6, subSignal: 0, messageId: 0, body: Buffer.from('{not json') }));
    await new Promise<void>((resolve) => raw.once('close', () => resolve()));
    const reply = Buffer.concat(chunks);
    assert.equal(reply[2], 7, 'CONNECT_ACK');
    assert.equal(reply[7], 3, 'IDENTIFIER_REJECTED');
  });

  for (const [name, text] of [
    ['non-JSON text', 'hello there'],
    ['unknown signal name', JSON.stringify({ signal: 'EXPLODE', subSignal: 'NONE', messageId: 1, content: {} })],
    ['oversized text', JSON.stringify({ signal: 'PUBLISH', subSignal: 'MS', messageId: 1, content: { x: 'y'.repeat(70 * 1024) } })],
  ] as const) {
    test(`WebSocket ${name}: the connection is closed, others unaffected`, async () => {
      const victim = await t.connect('ws', { ...bob, ...(await t.login('13800004002', `victim-ws-${name.replace(/ /g, "-")}`)) }) as WsImClient;
      victim.sendRawText(text);
      const closed = await victim.closed;
      assert.equal(closed.initiator, 'remote');
      await bystanderStillChats();
    });
  }

  test('PUBLISH before CONNECT closes the connection', async () => {
    const raw = connect(t.server.ports.tcp, '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write(encodeFrame({ signal: 9, subSignal: 18, messageId: 1, body: Buffer.alloc(0) }));
    await new Promise<void>((resolve) => raw.once('close', () => resolve()));
  });

  test('a WebSocket on an unknown path is rejected', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`ws://127.0.0.1:${t.server.ports.ws}/elsewhere`);
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', () => resolve('rejected'));
    });
    assert.equal(outcome, 'rejected');
  });

  test('the web client path "/" works as well as "/ws"', async () => {
    const client = await t.connect('ws', { ...bob, ...(await t.login('13800004002', 'root-path')) }, { path: '/' });
    assert.equal((await client.pull('0', 0)).ok, true);
  });
});
