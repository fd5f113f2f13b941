import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { FscError } from '@fscpush/core';
import { mayRetry } from '../src/retry-rule.ts';
import { ConnectionPool } from '../src/wire/connection-pool.ts';
import { serializeArgs } from '../src/wire/serialize-args.ts';
import { RpcServer } from '../src/wire/rpc-server.ts';
import { formatProviderUrl, methodNames, parseProviderZnode, providerZnode } from '../src/zk/dubbo-url.ts';
import { sleep } from '@fscpush/ports/contracts/helpers';

test('call arguments JSON cannot carry are INVALID_DATA before any provider sees them', () => {
  assert.throws(() => serializeArgs([1n]), (err: FscError) => err.code === 'INVALID_DATA');
  assert.equal(serializeArgs([{ uid: 'u1' }, 2, null]), '[{"uid":"u1"},2,null]');
});

test('Dubbo URL: format → znode name → parse round trip; foreign protocols ignored', () => {
  const url = {
    host: '10.1.2.3',
    port: 7463,
    service: 'com.comsince.github.MessageService',
    application: 'push-group',
    nodeId: '5',
    weight: 200,
    pid: 1234,
    timestamp: 1700000000000,
    methods: ['send', 'fetch'],
  };
  const text = formatProviderUrl(url);
  assert.equal(
    text,
    'fscpush://10.1.2.3:7463/com.comsince.github.MessageService?application=push-group&node=5&weight=200&pid=1234&side=provider&timestamp=1700000000000&methods=send,fetch',
  );
  const znode = providerZnode('/dubbo', url);
  assert.equal(znode, `/dubbo/com.comsince.github.MessageService/providers/${encodeURIComponent(text)}`);
  const parsed = parseProviderZnode(znode.slice(znode.lastIndexOf('/') + 1));
  assert.deepEqual(parsed, { ...url, address: '10.1.2.3:7463', znode: encodeURIComponent(text) });
  assert.equal(parseProviderZnode(encodeURIComponent('dubbo://10.1.2.3:20880/com.x.Svc?side=provider')), undefined);
  assert.equal(parseProviderZnode('%E0%A4%A'), undefined);
  const v6 = parseProviderZnode(encodeURIComponent(formatProviderUrl({ ...url, host: '::1' })));
  assert.equal(v6?.host, '::1');
  assert.equal(v6?.address, '[::1]:7463');
});

test('methodNames lists own and inherited methods, not Object.prototype or constructor', () => {
  class Base {
    a(): void {}
  }
  class Impl extends Base {
    b(): void {}
    value = 1;
  }
  assert.deepEqual(methodNames(new Impl()), ['a', 'b']);
  assert.deepEqual(methodNames({ x: () => 1, y: 2 }), ['x']);
});

test('retry rule: not-sent/rejected always, unknown only if idempotent, answered never', () => {
  assert.equal(mayRetry('not-sent', false), true);
  assert.equal(mayRetry('rejected', false), true);
  assert.equal(mayRetry('unknown', false), false);
  assert.equal(mayRetry('unknown', true), true);
  assert.equal(mayRetry('answered', true), false);
});

// ---- server + connection over loopback, no ZooKeeper ----

async function startServer(impl: object, options: { maxInFlightPerConnection?: number; maxFrameBytes?: number } = {}) {
  const server = new RpcServer({
    host: '127.0.0.1',
    port: 0,
    maxFrameBytes: options.maxFrameBytes ?? 64 * 1024,
    maxInFlightPerConnection: options.maxInFlightPerConnection ?? 100,
  });
  server.provide('svc', impl);
  const port = await server.listen();
  return { server, port, address: `127.0.0.1:${port}` };
}

function pool(maxInFlight = 100, maxFrameBytes = 64 * 1024): ConnectionPool {
  return new ConnectionPool({ connectTimeoutMs: 1000, maxFrameBytes, maxInFlightPerConnection: maxInFlight, unhealthyMs: 500 });
}

test('connection: results, answered errors, rejected calls, unknown methods; outcomes say how far calls got', async () => {
  const { server, port, address } = await startServer({
    add: (a: number, b: number) => a + b,
    fail: () => {
      throw new FscError('NOT_EXIST', 'nope');
    },
  });
  const p = pool();
  const c = p.get('127.0.0.1', port, address);
  assert.deepEqual(await c.call('svc', 'add', '[1,2]', 1000), { ok: true, value: 3 });
  const failed = await c.call('svc', 'fail', '[]', 1000);
  assert.ok(!failed.ok && failed.outcome === 'answered' && failed.error.code === 'NOT_EXIST');
  const missing = await c.call('svc', 'toString', '[]', 1000);
  assert.ok(!missing.ok && missing.outcome === 'answered' && missing.error.code === 'NOT_IMPLEMENTED');
  const absent = await c.call('other', 'add', '[]', 1000);
  assert.ok(!absent.ok && absent.outcome === 'rejected' && absent.error.code === 'RPC_NO_PROVIDER');
  server.startDraining();
  const draining = await c.call('svc', 'add', '[1,2]', 1000);
  assert.ok(!draining.ok && draining.error.code === 'SHUTTING_DOWN', JSON.stringify(draining));
  assert.ok(draining.outcome === 'rejected' || draining.outcome === 'not-sent');
  assert.equal(p.isPreferred(address), false, 'a draining provider is not preferred');
  await server.close();
  p.closeAll(new FscError('SHUTTING_DOWN'));
});

test('connection: a refused connect is not-sent; a timeout after writing is unknown; a dropped connection fails in-flight calls as unknown', async () => {
  const p = pool();
  const closedPort = await freePort();
  const refused = await p.get('127.0.0.1', closedPort, `127.0.0.1:${closedPort}`).call('svc', 'm', '[]', 1000);
  assert.ok(!refused.ok && refused.outcome === 'not-sent' && refused.error.code === 'RPC_NO_PROVIDER');
  assert.equal(p.isPreferred(`127.0.0.1:${closedPort}`), false, 'recently failed address is avoided');

  const sockets: Socket[] = [];
  const silent = createServer((s) => {
    sockets.push(s);
    s.on('data', () => {});
  });
  const port = await listenOn(silent);
  const c = p.get('127.0.0.1', port, `127.0.0.1:${port}`);
  const started = Date.now();
  const timedOut = await c.call('svc', 'm', '[]', 200);
  assert.ok(!timedOut.ok && timedOut.outcome === 'unknown' && timedOut.error.code === 'RPC_TIMEOUT');
  assert.ok(Date.now() - started < 1000);
  const inFlight = c.call('svc', 'm', '[]', 5000);
  await sleep(50);
  for (const s of sockets) s.destroy();
  const dropped = await inFlight;
  assert.ok(!dropped.ok && dropped.outcome === 'unknown' && dropped.error.code === 'RPC_NO_PROVIDER');
  assert.equal(await c.ping(100), false);
  silent.close();
  p.closeAll(new FscError('SHUTTING_DOWN'));
});

test('connection: at most maxInFlight calls are written at once; the rest wait and all complete', async () => {
  let running = 0;
  let peak = 0;
  const { server, port, address } = await startServer({
    async work(i: number) {
      running++;
      peak = Math.max(peak, running);
      await sleep(20);
      running--;
      return i;
    },
  });
  const p = pool(3);
  const c = p.get('127.0.0.1', port, address);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.call('svc', 'work', `[${i}]`, 5000)));
  assert.deepEqual(
    results.map((r) => (r.ok ? r.value : r.error.code)),
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(peak, 3);
  await server.close();
  p.closeAll(new FscError('SHUTTING_DOWN'));
});

test('server: over its per-connection bound a call is rejected (not run) with OVER_FREQUENCY', async () => {
  let runs = 0;
  const { server, port, address } = await startServer(
    {
      async work() {
        runs++;
        await sleep(50);
      },
    },
    { maxInFlightPerConnection: 2 },
  );
  const p = pool(10);
  const c = p.get('127.0.0.1', port, address);
  const results = await Promise.all(Array.from({ length: 5 }, () => c.call('svc', 'work', '[]', 5000)));
  assert.equal(results.filter((r) => r.ok).length, 2);
  assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.outcome === 'rejected' && r.error.code === 'OVER_FREQUENCY'));
  assert.equal(runs, 2);
  await server.close();
  p.closeAll(new FscError('SHUTTING_DOWN'));
});

test('frame limit: a call too large fails INVALID_DATA unsent; a reply too large becomes INVALID_DATA; a peer sending a huge frame is cut off', async () => {
  const { server, port, address } = await startServer({ big: () => 'y'.repeat(2000), echo: (s: string) => s }, { maxFrameBytes: 1000 });
  const p = pool(10, 1000);
  const c = p.get('127.0.0.1', port, address);
  const tooBig = await c.call('svc', 'echo', serializeArgs(['x'.repeat(2000)]), 1000);
  assert.ok(!tooBig.ok && tooBig.error.code === 'INVALID_DATA');
  const bigReply = await c.call('svc', 'big', '[]', 1000);
  assert.ok(!bigReply.ok && bigReply.outcome === 'answered' && bigReply.error.code === 'INVALID_DATA');
  assert.deepEqual(await c.call('svc', 'echo', '["ok"]', 1000), { ok: true, value: 'ok' });
  // A raw peer announcing a 1 GB frame gets disconnected without the server buffering it.
  const { connect } = await import('node:net');
  const raw = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => raw.once('connect', resolve));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(1 << 30);
  raw.write(header);
  await new Promise((resolve) => raw.once('close', resolve));
  await server.close();
  p.closeAll(new FscError('SHUTTING_DOWN'));
});

function listenOn(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? a.port : 0);
    });
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listenOn(s);
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test('close right after drain still delivers the reply written in the same tick (no destroy before flush)', async () => {
  const { server, port, address } = await startServer({
    async work() {
      await sleep(30);
      return 'done';
    },
  });
  const p = pool();
  const call = p.get('127.0.0.1', port, address).call('svc', 'work', '[]', 2000);
  await sleep(10);
  server.startDraining();
  assert.equal(await server.drain(1000), 0);
  await server.close(); // continues in the microtask right after the reply was written (corked until next tick)
  assert.deepEqual(await call, { ok: true, value: 'done' });
  p.closeAll(new FscError('SHUTTING_DOWN'));
});
