import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel, Worker } from 'node:worker_threads';
import { InProcessBus } from '@fscpush/adapter-memory';
import { InProcessRegistry } from '@fscpush/adapter-memory';
import { PortLink } from '../src/port-link.ts';
import { serveThreadBridge, serveThreadCalls } from '../src/thread-bridge-host.ts';
import { FscError } from '@fscpush/core';
import { ThreadBus } from '../src/thread-bus.ts';
import { ThreadRegistry } from '../src/thread-registry.ts';
import { collector, describeBusContract, record } from '@fscpush/ports/contracts/bus-contract';
import { uniqueName, waitFor } from '@fscpush/ports/contracts/helpers';
import { describeRegistryContract, isFscError } from '@fscpush/ports/contracts/registry-contract';

/** Both ends of a bridge in this thread, over a real MessagePort (structured clone, separate turns). */
function bridgePair() {
  const { port1, port2 } = new MessageChannel();
  const hostLink = new PortLink(port1);
  const threadLink = new PortLink(port2);
  const hostRegistry = new InProcessRegistry({ nodeId: 'host-node' });
  const hostBus = new InProcessBus();
  serveThreadBridge(hostLink, hostRegistry, hostBus);
  return { hostLink, threadLink, hostRegistry, hostBus, threadRegistry: new ThreadRegistry(threadLink), threadBus: new ThreadBus(threadLink) };
}

function closingLinks<R extends { close(): Promise<void> }>(registry: R, links: PortLink[]): R {
  const close = registry.close.bind(registry);
  registry.close = async () => {
    await close();
    for (const link of links) link.close();
  };
  return registry;
}

describeRegistryContract('ThreadRegistry consuming across a MessagePort', {
  create: async () => {
    const pair = bridgePair();
    return { consumer: pair.threadRegistry, provider: closingLinks(pair.hostRegistry, [pair.hostLink, pair.threadLink]) };
  },
  discoveryTimeoutMs: 500,
});

describeRegistryContract('ThreadRegistry providing across a MessagePort', {
  create: async () => {
    const pair = bridgePair();
    return { provider: closingLinks(pair.threadRegistry, [pair.hostLink, pair.threadLink]), consumer: pair.hostRegistry };
  },
  discoveryTimeoutMs: 500,
});

describeBusContract('ThreadBus across a MessagePort', {
  create: async () => {
    const pair = bridgePair();
    const bus = pair.threadBus;
    const close = bus.close.bind(bus);
    bus.close = async () => {
      await close();
      await pair.hostBus.close();
      pair.hostLink.close();
    };
    return bus;
  },
  deliveryTimeoutMs: 3000,
  quietMs: 150,
});

test('a bus record published on either side reaches subscribers on the other', async () => {
  const pair = bridgePair();
  const topic = uniqueName('t');
  const inThread = collector();
  const onHost = collector();
  await pair.threadBus.subscribe(topic, 'thread-group', inThread.handler);
  await pair.hostBus.subscribe(topic, 'host-group', onHost.handler);
  await pair.hostBus.publish(topic, [record('k', 'from-host')]);
  await pair.threadBus.publish(topic, [record('k', 'from-thread')]);
  await waitFor('both records on both sides', () => inThread.seen.length >= 2 && onHost.seen.length >= 2, 2000);
  assert.deepEqual(inThread.seen, ['k/from-host', 'k/from-thread']);
  assert.deepEqual(onHost.seen, ['k/from-host', 'k/from-thread']);
  pair.hostLink.close();
  await pair.hostBus.close();
});

test('many calls made in one turn travel together and each gets its own answer', async () => {
  const pair = bridgePair();
  await pair.hostRegistry.provide('sq', { square: (n: number) => n * n });
  const sq = pair.threadRegistry.consume<{ square(n: number): Promise<number> }>('sq');
  const answers = await Promise.all(Array.from({ length: 2000 }, (_, i) => sq.square(i)));
  assert.deepEqual(answers, Array.from({ length: 2000 }, (_, i) => i * i));
  pair.hostLink.close();
});

test('a worker thread that dies takes its services and subscriptions with it; its pending calls fail', async () => {
  const registry = new InProcessRegistry({ nodeId: 'host-node' });
  const bus = new InProcessBus();
  const { port1, port2 } = new MessageChannel();
  const link = new PortLink(port1);
  serveThreadBridge(link, registry, bus);
  const seen: string[][] = [];
  registry.watchProviders('worker-svc', (nodes) => seen.push(nodes));
  await registry.provide('host-svc', { twice: (n: number) => 2 * n });
  const worker = new Worker(new URL('./fixtures/thread-bridge-worker.ts', import.meta.url), { workerData: { port: port2 }, transferList: [port2] });
  await waitFor('worker service', () => registry.providers('worker-svc').length > 0, 5000);
  const svc = registry.consume<{ viaHost(n: number): Promise<number>; hang(): Promise<void> }>('worker-svc');
  assert.equal(await svc.viaHost(21), 42, 'worker → host → worker round trip');
  const topic = 'worker-topic';
  await waitFor('worker subscription', () => bus['topics'].get(topic)?.size === 1, 5000);

  const hanging = assert.rejects(svc.hang(), isFscError(['SHUTTING_DOWN', 'RPC_NO_PROVIDER']));
  await worker.terminate();
  await hanging;
  await waitFor('service withdrawn', () => registry.providers('worker-svc').length === 0, 5000);
  assert.deepEqual(seen.at(-1), []);
  await waitFor('subscription closed', () => bus['topics'].get(topic)?.size === 0, 5000);
  await registry.close();
  await bus.close();
});

test('a side route: the calls it names go to the other thread, the rest to the host; with its link closed they go to the host', async () => {
  const { port1, port2 } = new MessageChannel();
  const hostLink = new PortLink(port1);
  const mainLink = new PortLink(port2);
  const hostRegistry = new InProcessRegistry({ nodeId: 'host-node' });
  serveThreadBridge(hostLink, hostRegistry, new InProcessBus());
  await hostRegistry.provide('svc', { read: async (n: number) => `host read ${n}`, write: async (n: number) => `host write ${n}` });

  const side = new MessageChannel();
  const sideServer = new PortLink(side.port1);
  serveThreadCalls(sideServer, { svc: { read: async (n: number) => `side read ${n}`, fail: async () => Promise.reject(new FscError('NOT_EXIST', 'no such row')) } });
  const sideLink = new PortLink(side.port2);
  const registry = new ThreadRegistry(mainLink, 'worker-1', { link: sideLink, calls: new Set(['svc.read', 'svc.fail', 'svc.missing']) });
  const svc = registry.consume<{ read(n: number): Promise<string>; write(n: number): Promise<string>; fail(): Promise<void>; missing(): Promise<void> }>('svc');

  assert.equal(await svc.read(1), 'side read 1');
  assert.equal(await svc.write(2), 'host write 2');
  await assert.rejects(svc.fail(), isFscError('NOT_EXIST'));
  await assert.rejects(svc.missing(), isFscError('NOT_IMPLEMENTED'));
  sideServer.close();
  await waitFor('the side link to close', () => sideLink.isClosed, 2000);
  assert.equal(await svc.read(3), 'host read 3');
  await registry.close();
  hostLink.close();
  mainLink.close();
});
