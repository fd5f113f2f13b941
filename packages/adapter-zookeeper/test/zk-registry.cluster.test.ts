import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { FscError } from '@fscpush/core';
import type { ConsumeOptions } from '@fscpush/ports';
import { RpcFrameDecoder, decodeRpcMessage, encodeRpcFrame, encodeRpcMessage } from '@fscpush/protocol';
import { providersPath, providerZnode } from '../src/zk/dubbo-url.ts';
import { createZkRegistry, type ZkRegistry, type ZkRegistryOptions } from '../src/index.ts';
import { isFscError, describeRegistryContract } from '@fscpush/ports/contracts/registry-contract';
import { sleep, uniqueName, waitFor } from '@fscpush/ports/contracts/helpers';
import { forceExpire, rawClient, type RawZk } from './zk-cluster-env.ts';

const connect = process.env['FSCPUSH_ZK_CONNECT'];

if (!connect) {
  test('ZooKeeper configured', () => assert.fail('set FSCPUSH_ZK_CONNECT (eval "$(scripts/devstack env)" after scripts/devstack up zookeeper)'));
} else {
  const zk = { connect, sessionTimeoutMs: 4000, connectTimeoutMs: 10_000 };

  /** A registry on its own ZooKeeper session, closed after the test. */
  async function registry(t: TestContext | undefined, nodeId: string, extra: Partial<ZkRegistryOptions> = {}): Promise<ZkRegistry> {
    const r = await createZkRegistry({ zookeeper: zk, nodeId, noProviderWaitMs: 1000, leaveProbeTimeoutMs: 300, drainTimeoutMs: 3000, ...extra });
    t?.after(() => r.close());
    return r;
  }

  async function raw(t: TestContext): Promise<RawZk> {
    const client = await rawClient();
    t.after(() => client.close());
    return client;
  }

  /** Test provider: answers with its node id, counts executions per method. */
  class Echo {
    readonly runs = new Map<string, number>();
    private readonly nodeId: string;
    private readonly delays: Record<string, number>;

    constructor(nodeId: string, delays: Record<string, number> = {}) {
      this.nodeId = nodeId;
      this.delays = delays;
    }

    /** #private: not a property, so neither published in `methods=` nor callable remotely. */
    async #run(method: string, ms = this.delays[method] ?? 0): Promise<string> {
      this.runs.set(method, (this.runs.get(method) ?? 0) + 1);
      if (ms > 0) await sleep(ms);
      return this.nodeId;
    }

    whoami(_key?: unknown): Promise<string> {
      return this.#run('whoami');
    }

    send(_msg?: unknown): Promise<string> {
      return this.#run('send');
    }

    read(_key?: unknown): Promise<string> {
      return this.#run('read');
    }

    slow(ms: number): Promise<string> {
      return this.#run('slow', ms);
    }

    never(): Promise<string> {
      this.runs.set('never', (this.runs.get('never') ?? 0) + 1);
      return new Promise(() => {});
    }

    count(method: string): number {
      return this.runs.get(method) ?? 0;
    }
  }

  interface EchoApi {
    whoami(key?: unknown): Promise<string>;
    send(msg?: unknown): Promise<string>;
    read(key?: unknown): Promise<string>;
    slow(ms: number): Promise<string>;
    never(): Promise<string>;
  }

  /** Two providers (separate sessions) of one fresh service + a consumer on a third session. */
  async function twoProviders(t: TestContext, options: { weights?: [number, number]; delays?: [Record<string, number>, Record<string, number>] } = {}) {
    const service = uniqueName('svc');
    const [a, b] = [await registry(t, 'A'), await registry(t, 'B')];
    const implA = new Echo('A', options.delays?.[0]);
    const implB = new Echo('B', options.delays?.[1]);
    await a.provide(service, implA, { weight: options.weights?.[0] ?? 100 });
    await b.provide(service, implB, { weight: options.weights?.[1] ?? 100 });
    const consumer = await registry(t, 'C');
    await waitFor('both providers visible', () => consumer.providers(service).length === 2, 5000);
    return { service, a, b, implA, implB, consumer, api: (o?: ConsumeOptions) => consumer.consume<EchoApi>(service, o) };
  }

  function tally(values: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
    return counts;
  }

  /** A TCP "provider" we control, registered under `service` with a raw ZooKeeper client. */
  async function fakeProvider(
    t: TestContext,
    zkRaw: RawZk,
    service: string,
    onCall: (socket: Socket, call: { id: number; m: string }) => void,
    options: { listen?: boolean } = {},
  ) {
    const calls: string[] = [];
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      const decoder = new RpcFrameDecoder(1 << 20);
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        for (const body of decoder.push(chunk)) {
          const message = decodeRpcMessage(body);
          if (message.k === 'call') {
            calls.push(message.m);
            onCall(socket, message);
          }
        }
      });
    });
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    if (options.listen === false) await new Promise((resolve) => server.close(resolve));
    t.after(() => {
      for (const s of sockets) s.destroy();
      server.close();
    });
    const url = { host: '127.0.0.1', port, service, application: 'fake', nodeId: 'fake', weight: 100, pid: 0, timestamp: Date.now(), methods: [] };
    const znode = providerZnode('/dubbo', url);
    await zkRaw.mkdirp(providersPath('/dubbo', service));
    await zkRaw.createEphemeral(znode);
    return { calls, znode, port };
  }

  // ---- the shared contract, provider and consumer on separate ZooKeeper sessions ----

  describeRegistryContract('ZkRegistry (ZooKeeper + TCP, separate sessions)', {
    create: async () => ({ provider: await registry(undefined, 'provider-1'), consumer: await registry(undefined, 'consumer-1') }),
    discoveryTimeoutMs: 5000,
  });

  // ---- registration format ----

  test('a provider is an EPHEMERAL Dubbo znode whose URL carries the configured host, the bound port and the methods', async (t) => {
    const service = uniqueName('com.fscpush.DubboFormat');
    const provider = await registry(t, 'node-7', { application: 'push-group', host: '127.0.0.1', port: 0 });
    await provider.provide(service, new Echo('x'), { weight: 250 });
    const port = await provider.port();
    assert.ok(port > 0);
    const zkRaw = await raw(t);
    const children = await zkRaw.children(`/dubbo/${service}/providers`);
    assert.equal(children.length, 1);
    const name = children[0] as string;
    const url = new URL(decodeURIComponent(name));
    assert.equal(encodeURIComponent(decodeURIComponent(name)), name, 'the znode name is encodeURIComponent(url)');
    assert.equal(url.protocol, 'fscpush:');
    assert.equal(url.hostname, '127.0.0.1');
    assert.equal(Number(url.port), port);
    assert.equal(url.pathname, `/${service}`);
    const q = url.searchParams;
    assert.equal(q.get('application'), 'push-group');
    assert.equal(q.get('node'), 'node-7');
    assert.equal(q.get('weight'), '250');
    assert.equal(q.get('pid'), String(process.pid));
    assert.equal(q.get('side'), 'provider');
    assert.ok(Math.abs(Number(q.get('timestamp')) - Date.now()) < 60_000);
    assert.deepEqual(q.get('methods')?.split(','), ['count', 'never', 'read', 'send', 'slow', 'whoami']);
    const path = `/dubbo/${service}/providers/${name}`;
    const stat = await zkRaw.stat(path);
    assert.ok(stat && !stat.ephemeralOwner.equals(Buffer.alloc(8)), 'ephemeral');
    assert.equal((await zkRaw.data(path)).toString(), decodeURIComponent(name));
    assert.ok(await zkRaw.stat(`/dubbo/${service}`), 'parents are persistent nodes');
    await provider.close();
    assert.deepEqual(await zkRaw.children(`/dubbo/${service}/providers`), [], 'close() deletes the registration');
  });

  test('the advertised host must be reachable by others; 0.0.0.0 is a configuration error', async () => {
    await assert.rejects(createZkRegistry({ zookeeper: zk, nodeId: 'x', host: '0.0.0.0' }), isFscError('CONFIG_INVALID'));
  });

  // ---- load balancing across two providers ----

  test('round robin alternates between the providers', async (t) => {
    const { api } = await twoProviders(t);
    const rr = api({ balance: 'round-robin' });
    const seq: string[] = [];
    for (let i = 0; i < 10; i++) seq.push(await rr.whoami());
    assert.deepEqual(tally(seq), { A: 5, B: 5 });
    for (let i = 1; i < seq.length; i++) assert.notEqual(seq[i], seq[i - 1], `strict alternation: ${seq.join('')}`);
  });

  test('random (default) follows the weights: 100 vs 300', async (t) => {
    const { api } = await twoProviders(t, { weights: [100, 300] });
    const random = api();
    const seq = await Promise.all(Array.from({ length: 800 }, () => random.whoami()));
    const shareB = (tally(seq)['B'] ?? 0) / seq.length;
    assert.ok(shareB > 0.68 && shareB < 0.82, `B got ${shareB}`);
  });

  test('least active sends new calls to the provider with fewer outstanding calls', async (t) => {
    const { api } = await twoProviders(t, { delays: [{ whoami: 300 }, { whoami: 0 }] });
    const la = api({ balance: 'least-active' });
    const pending: Promise<string>[] = [];
    for (let i = 0; i < 40; i++) {
      pending.push(la.whoami());
      await sleep(10);
    }
    const counts = tally(await Promise.all(pending));
    assert.ok((counts['A'] ?? 0) <= 4, `slow A got ${JSON.stringify(counts)} (random would give ~20)`);
  });

  test('consistent hash pins each uid to one provider and spreads uids across both', async (t) => {
    const { api, b, consumer, service } = await twoProviders(t);
    const ch = api({ balance: 'consistent-hash' });
    const uids = Array.from({ length: 200 }, (_, i) => `u${i}`);
    const first = await Promise.all(uids.map((uid) => ch.whoami({ uid, text: 'x' })));
    const again = await Promise.all(uids.map((uid) => ch.whoami({ uid, text: 'y' })));
    assert.deepEqual(again, first, 'same uid, same provider');
    const counts = tally(first);
    assert.ok((counts['A'] ?? 0) > 40 && (counts['B'] ?? 0) > 40, JSON.stringify(counts));
    assert.deepEqual(await Promise.all(uids.slice(0, 20).map((uid) => ch.whoami(uid))), first.slice(0, 20), 'a string first argument is the key');
    await b.close();
    await waitFor('B gone', () => consumer.providers(service).length === 1, 5000);
    const after = await Promise.all(uids.map((uid) => ch.whoami({ uid })));
    assert.ok(after.every((n) => n === 'A'));
  });

  // ---- timeouts and the retry rule ----

  test('a call without an answer fails with RPC_TIMEOUT within its timeout; a non-idempotent one ran once', async (t) => {
    const { api, implA, implB } = await twoProviders(t, { delays: [{ send: 1500 }, { send: 1500 }] });
    const started = Date.now();
    await assert.rejects(api({ timeoutMs: 300 }).send('m'), isFscError('RPC_TIMEOUT'));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 1000, `took ${elapsed} ms`);
    await sleep(100);
    assert.equal(implA.count('send') + implB.count('send'), 1, 'not retried on the other provider');
  });

  test('an idempotent method is retried on another provider after a timeout', async (t) => {
    const { api, implA, implB } = await twoProviders(t, { delays: [{ read: 2000 }, { read: 0 }] });
    const reader = api({ timeoutMs: 250, idempotent: ['read'], balance: 'round-robin' });
    const results = await Promise.all(Array.from({ length: 6 }, () => reader.read('k')));
    assert.deepEqual(results, Array(6).fill('B'));
    assert.equal(implA.count('read'), 3, 'round robin tried the slow provider first for half of them');
    assert.equal(implB.count('read'), 6);
  });

  test('a provider answering SHUTTING_DOWN before dispatch: even a non-idempotent call goes to another provider', async (t) => {
    const service = uniqueName('svc');
    const zkRaw = await raw(t);
    const fake = await fakeProvider(t, zkRaw, service, (socket, call) => {
      socket.write(encodeRpcFrame(encodeRpcMessage({ k: 'err', id: call.id, e: new FscError('SHUTTING_DOWN').toWire(), rejected: true })));
    });
    const b = await registry(t, 'B');
    const implB = new Echo('B');
    await b.provide(service, implB);
    const consumer = await registry(t, 'C');
    await waitFor('both visible', () => consumer.providers(service).length === 2, 5000);
    const sender = consumer.consume<EchoApi>(service, { balance: 'round-robin' });
    for (let i = 0; i < 8; i++) assert.equal(await sender.send({ i }), 'B');
    assert.equal(fake.calls.length, 4, 'half went to the draining provider first');
    assert.equal(implB.count('send'), 8, 'each ran exactly once');
  });

  test('a connection that fails before the request is written: a non-idempotent call goes to another provider', async (t) => {
    const service = uniqueName('svc');
    const zkRaw = await raw(t);
    const dead = await fakeProvider(t, zkRaw, service, () => {}, { listen: false }); // registered, nothing listens
    const b = await registry(t, 'B');
    const implB = new Echo('B');
    await b.provide(service, implB);
    const consumer = await registry(t, 'C', { unhealthyMs: 0 });
    await waitFor('both visible', () => consumer.providers(service).length === 2, 5000);
    const sender = consumer.consume<EchoApi>(service, { balance: 'round-robin' });
    for (let i = 0; i < 6; i++) assert.equal(await sender.send({ i }), 'B');
    assert.equal(dead.calls.length, 0);
    assert.equal(implB.count('send'), 6);
  });

  test('a connection lost after the request was written: non-idempotent fails RPC_NO_PROVIDER, idempotent is retried', async (t) => {
    const service = uniqueName('svc');
    const zkRaw = await raw(t);
    const crashing = await fakeProvider(t, zkRaw, service, (socket) => socket.destroy()); // reads the call, then drops
    const b = await registry(t, 'B');
    const implB = new Echo('B');
    await b.provide(service, implB);
    const consumer = await registry(t, 'C', { unhealthyMs: 0 });
    await waitFor('both visible', () => consumer.providers(service).length === 2, 5000);
    const api = consumer.consume<EchoApi>(service, { balance: 'round-robin', idempotent: ['read'] });
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) outcomes.push(await api.send({ i }).catch((err: FscError) => err.code));
    assert.deepEqual(tally(outcomes), { B: 3, RPC_NO_PROVIDER: 3 });
    assert.equal(crashing.calls.filter((m) => m === 'send').length, 3, 'the failed ones reached the crashing provider');
    assert.equal(implB.count('send'), 3, 'and were not re-sent to B');
    for (let i = 0; i < 6; i++) assert.equal(await api.read(i), 'B');
    assert.equal(crashing.calls.filter((m) => m === 'read').length, 3);
    assert.equal(implB.count('read'), 6);
  });

  // ---- providers leaving ----

  test('a provider whose znode disappears and which does not answer: its in-flight calls fail RPC_NO_PROVIDER promptly', async (t) => {
    const service = uniqueName('svc');
    const zkRaw = await raw(t);
    const silent = await fakeProvider(t, zkRaw, service, () => {}); // reads, never answers (a hung or partitioned host)
    const consumer = await registry(t, 'C');
    await waitFor('visible', () => consumer.providers(service).length === 1, 5000);
    const call = consumer.consume<EchoApi>(service, { timeoutMs: 20_000 }).send('m');
    await waitFor('call arrived', () => silent.calls.length === 1, 2000);
    const removed = Date.now();
    await zkRaw.remove(silent.znode);
    await assert.rejects(call, isFscError('RPC_NO_PROVIDER'));
    const elapsed = Date.now() - removed;
    assert.ok(elapsed < 1500, `failed ${elapsed} ms after the znode went (timeout was 20 s)`);
  });

  test('no provider: RPC_NO_PROVIDER after the bounded wait; a provider appearing during the wait gets the call', async (t) => {
    const service = uniqueName('svc');
    const consumer = await registry(t, 'C', { noProviderWaitMs: 400 });
    const api = consumer.consume<EchoApi>(service);
    const started = Date.now();
    await assert.rejects(api.whoami(), isFscError('RPC_NO_PROVIDER'));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 390 && elapsed < 2000, `waited ${elapsed} ms`);

    const patient = await registry(t, 'C2', { noProviderWaitMs: 4000 });
    const pending = patient.consume<EchoApi>(service).whoami();
    await sleep(300);
    const late = await registry(t, 'late');
    await late.provide(service, new Echo('late'));
    assert.equal(await pending, 'late');
  });

  test('graceful close: registration goes first, running calls finish, calls arriving meanwhile go elsewhere', async (t) => {
    const onlyA = uniqueName('svc-a');
    const { service, a, implA, implB, consumer, api } = await twoProviders(t);
    await a.provide(onlyA, implA);
    await waitFor('A visible for the A-only service', () => consumer.providers(onlyA).length === 1, 5000);
    const running = consumer.consume<EchoApi>(onlyA).slow(1200);
    await waitFor('A running it', () => implA.count('slow') === 1, 2000);
    let runningSettled = false;
    void running.finally(() => (runningSettled = true));
    const closing = a.close();
    let closed = false;
    void closing.then(() => (closed = true));
    await waitFor('A deregistered', () => consumer.providers(service).join() === 'B' && consumer.providers(onlyA).length === 0, 3000);
    assert.equal(runningSettled, false, 'deregistered while its call still runs');
    const sender = api({ balance: 'round-robin' });
    for (let i = 0; i < 6; i++) assert.equal(await sender.send(i), 'B');
    assert.equal(await running, 'A', 'the running call finished and was answered');
    assert.equal(implB.count('send'), 6);
    await closing;
    assert.ok(closed);
    await assert.rejects(consumer.consume<EchoApi>(onlyA).whoami(), isFscError('RPC_NO_PROVIDER'));
  });

  test('draining is bounded: a call that never finishes does not hold close() past drainTimeoutMs', async (t) => {
    const service = uniqueName('svc');
    const a = await registry(t, 'A', { drainTimeoutMs: 300 });
    const implA = new Echo('A');
    await a.provide(service, implA);
    const consumer = await registry(t, 'C');
    await waitFor('visible', () => consumer.providers(service).length === 1, 5000);
    const hanging = consumer.consume<EchoApi>(service, { timeoutMs: 20_000 }).never().catch((err: unknown) => err);
    await waitFor('running', () => implA.count('never') === 1, 2000);
    const started = Date.now();
    await a.close();
    assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
    assert.ok(isFscError('RPC_NO_PROVIDER')(await hanging), 'the abandoned call fails when the connection closes');
    assert.ok(Date.now() - started < 2500);
  });

  test('kill -9 of a provider process: in-flight calls fail over per the retry rule, new calls go elsewhere, the znode goes', async (t) => {
    const onlyChild = uniqueName('svc-child');
    const shared = uniqueName('svc-shared');
    const child = await startChildProvider(t, connect, 'child', [onlyChild, shared]);
    const b = await registry(t, 'B');
    const implB = new Echo('B');
    await b.provide(shared, implB);
    const consumer = await registry(t, 'C');
    await waitFor('child + B visible', () => consumer.providers(shared).length === 2 && consumer.providers(onlyChild).length === 1, 10_000);

    const onChildOnly = consumer.consume<EchoApi>(onlyChild).slow(5000).catch((err: FscError) => err.code);
    const plain = consumer.consume<EchoApi>(shared, { balance: 'round-robin', timeoutMs: 10_000 });
    const idempotent = consumer.consume<EchoApi>(shared, { balance: 'round-robin', timeoutMs: 10_000, idempotent: ['slow'] });
    const plainCalls = [plain.slow(1500), plain.slow(1500)].map((p) => p.catch((err: FscError) => err.code));
    const idemCalls = [idempotent.slow(1500), idempotent.slow(1500)].map((p) => p.catch((err: FscError) => err.code));
    await sleep(300);
    const killedAt = Date.now();
    child.process.kill('SIGKILL');

    assert.equal(await onChildOnly, 'RPC_NO_PROVIDER');
    assert.ok(Date.now() - killedAt < 1000, `in-flight call failed ${Date.now() - killedAt} ms after kill -9`);
    assert.deepEqual((await Promise.all(plainCalls)).sort(), ['B', 'RPC_NO_PROVIDER'], 'non-idempotent: the one on the dead process fails');
    assert.deepEqual(await Promise.all(idemCalls), ['B', 'B'], 'idempotent: retried on B');

    // Until ZooKeeper expires the dead session its znode is still listed: calls must still succeed.
    assert.ok(consumer.providers(shared).includes('child'), 'znode still there right after the kill');
    for (let i = 0; i < 10; i++) assert.equal(await plain.send(i), 'B');
    await waitFor('the dead provider\'s znodes expire', () => consumer.providers(shared).join() === 'B' && consumer.providers(onlyChild).length === 0, 10_000);
    t.diagnostic(`kill -9 → znode gone after ${Date.now() - killedAt} ms (child session timeout 2000 ms)`);
  });

  // ---- ZooKeeper session expiry ----

  test('provider session expiry: a new session re-registers the provider, which stays callable', async (t) => {
    const { service, a, implA, consumer, api } = await twoProviders(t);
    const onlyA = uniqueName('svc-a');
    await a.provide(onlyA, implA);
    await waitFor('A-only service visible', () => consumer.providers(onlyA).length === 1, 5000);
    const zkRaw = await raw(t);
    const oldSession = a.zookeeper.credentials().sessionId;
    const running = consumer.consume<EchoApi>(onlyA).slow(1000);
    await forceExpire(a.zookeeper);
    const newSession = a.zookeeper.credentials().sessionId;
    assert.ok(!newSession.equals(oldSession));
    await waitFor('A listed again', () => consumer.providers(service).includes('A'), 5000);
    const children = await zkRaw.children(`/dubbo/${service}/providers`);
    const owners = await Promise.all(children.map(async (c) => (await zkRaw.stat(`/dubbo/${service}/providers/${c}`))?.ephemeralOwner));
    assert.ok(owners.some((o) => o?.equals(newSession)), 'A\'s znode belongs to the new session');
    const rr = api({ balance: 'round-robin' });
    const seq = await Promise.all(Array.from({ length: 6 }, () => rr.whoami()));
    assert.deepEqual(tally(seq), { A: 3, B: 3 });
    assert.equal(await running, 'A', 'a call running across the expiry completes (the provider answered the liveness ping)');
  });

  test('consumer session expiry: calls keep working on the last known list; watches are re-armed on the new session', async (t) => {
    const service = uniqueName('svc');
    const a = await registry(t, 'A');
    await a.provide(service, new Echo('A'));
    const consumer = await registry(t, 'C');
    await waitFor('A visible', () => consumer.providers(service).join() === 'A', 5000);
    const seen: string[][] = [];
    consumer.watchProviders(service, (nodes) => seen.push(nodes));
    const api = consumer.consume<EchoApi>(service);
    const during = (async () => {
      const results: string[] = [];
      for (let i = 0; i < 20; i++) {
        results.push(await api.whoami());
        await sleep(10);
      }
      return results;
    })();
    await forceExpire(consumer.zookeeper);
    assert.deepEqual(await during, Array(20).fill('A'));
    const b = await registry(t, 'B');
    await b.provide(service, new Echo('B'));
    await waitFor('B seen through the re-armed watch', () => consumer.providers(service).join() === 'A,B', 5000);
    await a.close();
    await waitFor('A\'s leave seen', () => consumer.providers(service).join() === 'B', 5000);
    assert.deepEqual(seen.at(-1), ['B']);
    assert.equal(await api.whoami(), 'B');
  });

  test('watchProviders reports the current list, then joins and leaves', async (t) => {
    const service = uniqueName('svc');
    const consumer = await registry(t, 'C');
    const seen: string[][] = [];
    const stop = consumer.watchProviders(service, (nodes) => seen.push(nodes));
    assert.deepEqual(seen[0], []);
    const a = await registry(t, 'A');
    await a.provide(service, new Echo('A'));
    await waitFor('A', () => seen.at(-1)?.join() === 'A', 5000);
    const b = await registry(t, 'B');
    await b.provide(service, new Echo('B'));
    await waitFor('A,B', () => seen.at(-1)?.join() === 'A,B', 5000);
    await a.close();
    await waitFor('B', () => seen.at(-1)?.join() === 'B', 5000);
    stop();
    const count = seen.length;
    await b.close();
    await sleep(300);
    assert.equal(seen.length, count, 'no calls after unsubscribe');
  });

  // ---- a simple measurement ----

  test('measure: sequential call latency and concurrent throughput over loopback', async (t) => {
    const service = uniqueName('svc');
    const a = await registry(t, 'A');
    await a.provide(service, { add: (x: number, y: number) => x + y });
    const consumer = await registry(t, 'C');
    await waitFor('visible', () => consumer.providers(service).length === 1, 5000);
    const api = consumer.consume<{ add(x: number, y: number): Promise<number> }>(service);
    for (let i = 0; i < 500; i++) await api.add(i, 1); // warm-up
    const n = 3000;
    const latencies: number[] = [];
    const seqStart = performance.now();
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await api.add(i, 1);
      latencies.push(performance.now() - s);
    }
    const seqSeconds = (performance.now() - seqStart) / 1000;
    latencies.sort((x, y) => x - y);
    const pct = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] as number).toFixed(3);
    const total = 20_000;
    const concurrency = 64;
    let next = 0;
    const parStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          next++;
          await api.add(next, 1);
        }
      }),
    );
    const parSeconds = (performance.now() - parStart) / 1000;
    const report = `sequential: ${Math.round(n / seqSeconds)} calls/s, p50 ${pct(50)} ms, p99 ${pct(99)} ms; ${concurrency} in flight: ${Math.round(total / parSeconds)} calls/s`;
    t.diagnostic(report);
    console.log(`# rpc loopback ${report}`);
  });
}

interface ChildProvider {
  process: ChildProcess;
  port: number;
}

/** Starts test/fixtures/zk-provider-child.ts; resolves once it has registered (bounded), killed after the test. */
async function startChildProvider(t: TestContext, connect: string, nodeId: string, services: string[]): Promise<ChildProvider> {
  const script = fileURLToPath(new URL('./fixtures/zk-provider-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script, connect, nodeId, ...services], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child provider not ready within 20 s')), 20_000);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child provider exited early (${code})`));
    });
  });
  return { process: child, port };
}
