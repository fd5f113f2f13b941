import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveConnectPassword } from '@fscpush/protocol';
import { TestServer, type LoggedIn } from './harness.ts';

describe('CONNECT authentication and sessions', () => {
  let t: TestServer;
  let alice: LoggedIn;
  let bob: LoggedIn;

  before(async () => {
    t = await TestServer.start();
    alice = await t.login('13800003001', 'alice-dev-1');
    bob = await t.login('13800003002', 'bob-dev-1');
  });
  after(() => t.stop());

  for (const transport of ['tcp', 'ws'] as const) {
    const port = () => (transport === 'tcp' ? t.server.ports.tcp : t.server.ports.ws);
    const attempt = (userName: string, password: string, clientId: string) =>
      t.newClient(transport).connect({ host: '127.0.0.1', port: port(), path: '/ws', userName, password, clientId });

    test(`${transport}: CONNECT_ACK carries the inbox head`, async () => {
      const client = t.newClient(transport);
      const result = await client.connect({ host: '127.0.0.1', port: port(), path: '/ws', userName: alice.userId, password: deriveConnectPassword(alice.token, { webQuirks: transport === 'ws' }), clientId: alice.clientId });
      assert.equal(result.accepted, true);
      assert.equal(result.code, 'CONNECTION_ACCEPTED');
      const head = transport === 'tcp' ? (result.ack as { msgHead?: string }).msgHead : (result.ack as { messageHead?: string }).messageHead;
      assert.match(String(head), /^\d+$/);
    });

    test(`${transport}: wrong password, someone else's token, unknown device and blank client id are refused with their codes`, async () => {
      const good = deriveConnectPassword(alice.token, { webQuirks: transport === 'ws' });
      const tampered = Buffer.from(good, 'base64');
      tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0x01, tampered.length - 1);
      let r = await attempt(alice.userId, tampered.toString('base64'), alice.clientId);
      assert.deepEqual([r.accepted, r.code], [false, 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD']);
      r = await attempt(alice.userId, 'not base64 at all!', alice.clientId);
      assert.deepEqual([r.accepted, r.code], [false, 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD']);
      // bob's valid password presented as alice on bob's device id: no such session for alice
      r = await attempt(alice.userId, deriveConnectPassword(bob.token), bob.clientId);
      assert.deepEqual([r.accepted, r.code], [false, 'CONNECTION_REFUSED_SESSION_NOT_EXIST']);
      r = await attempt(alice.userId, good, 'never-logged-in-device');
      assert.deepEqual([r.accepted, r.code], [false, 'CONNECTION_REFUSED_SESSION_NOT_EXIST']);
      r = await attempt(alice.userId, good, '');
      assert.deepEqual([r.accepted, r.code], [false, 'CONNECTION_REFUSED_IDENTIFIER_REJECTED']);
      r = await attempt('no-such-user', good, alice.clientId);
      assert.deepEqual([r.accepted, r.code], [false, 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD']);
    });
  }

  test('the same client id connecting again kicks the older connection; the new one keeps working', async () => {
    const first = await t.connect('tcp', bob);
    const second = await t.connect('ws', bob);
    const closed = await first.closed;
    assert.equal(closed.initiator, 'remote');
    const sender = await t.connect('tcp', alice);
    await sender.sendText({ type: 0, target: bob.userId }, 'still there?');
    const notify = await second.waitForNotify();
    assert.match(notify.head, /^\d+$/);
  });

  test('DISCONNECT with clearSession logs the device out: its token no longer connects', async () => {
    const device = await t.login('13800003001', 'alice-dev-2');
    const client = await t.connect('ws', device);
    await client.disconnect(true);
    const again = await t.newClient('ws').connect({ host: '127.0.0.1', port: t.server.ports.ws, path: '/ws', userName: device.userId, password: deriveConnectPassword(device.token, { webQuirks: true }), clientId: device.clientId });
    assert.deepEqual([again.accepted, again.code], [false, 'CONNECTION_REFUSED_SESSION_NOT_EXIST']);
  });

  test('a new login of the same device replaces its old token', async () => {
    const old = await t.login('13800003002', 'bob-dev-2');
    const renewed = await t.login('13800003002', 'bob-dev-2');
    const r = await t.newClient('tcp').connect({ host: '127.0.0.1', port: t.server.ports.tcp, userName: old.userId, password: deriveConnectPassword(old.token), clientId: old.clientId });
    assert.deepEqual([r.accepted, r.code], [false, 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD']);
    await t.connect('tcp', renewed);
  });

  test('PING: the server echoes the interval and keeps an idle TCP connection for interval + 60 s', async () => {
    const client = await t.connect('tcp', alice) as import('@fscpush/testkit').TcpImClient;
    const echo = await client.ping(180_000);
    assert.equal(echo, 'ping back next interval 180000');
  });
});

describe('idle connections are closed', () => {
  let t: TestServer;
  before(async () => {
    t = await TestServer.start({ overrides: { 'push.ws.idle.timeout.ms': 400, 'push.tcp.idle.timeout.ms': 400 } });
  });
  after(() => t.stop());

  test('a WebSocket that sends nothing is closed; one that sends the heartbeat text stays', async () => {
    const user = await t.login('13800003010', 'idle-web');
    const quiet = await t.connect('ws', user);
    const chatty = await t.connect('ws', { ...user, ...(await t.login('13800003010', 'idle-web-2')) }) as import('@fscpush/testkit').WsImClient;
    const beat = setInterval(() => chatty.sendRawText('心跳内容'), 100);
    try {
      const closed = await quiet.closed;
      assert.equal(closed.initiator, 'remote');
      const race = await Promise.race([chatty.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 300))]);
      assert.equal(race, 'open');
    } finally {
      clearInterval(beat);
    }
  });

  test('a TCP socket that never sends CONNECT is closed', async () => {
    const net = await import('node:net');
    const socket = net.connect(t.server.ports.tcp, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  });
});
