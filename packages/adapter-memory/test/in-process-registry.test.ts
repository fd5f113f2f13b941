import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InProcessRegistry } from '../src/in-process-registry.ts';
import { describeRegistryContract, isFscError } from '@fscpush/ports/contracts/registry-contract';

describeRegistryContract('InProcessRegistry (copyValues)', {
  create: async () => {
    const registry = new InProcessRegistry({ nodeId: 'node-1', copyValues: true });
    return { provider: registry, consumer: registry };
  },
  discoveryTimeoutMs: 100,
});

// What the embedded registry does beyond the contract.

test('watchProviders started before provide sees the provider when it appears', async () => {
  // push-group watches the connectors before the embedded connector provides itself; a watcher left at
  // [] would treat every session older than the grace period as a ghost and stop notifying it.
  const registry = new InProcessRegistry({ nodeId: 'node-1' });
  const seen: string[][] = [];
  const stop = registry.watchProviders('connector', (nodes) => seen.push(nodes));
  await registry.provide('connector', { ping: async () => 'pong' });
  stop();
  await registry.provide('connector', { ping: async () => 'pong' });
  assert.deepEqual(seen, [[], ['node-1']]);
  await registry.close();
});

interface Probe {
  inspect(value: unknown): Promise<{ isMap: boolean; isDate: boolean; type: string; json: string }>;
  same(value: object): Promise<boolean>;
}

function probe(): { impl: object; lastArg: () => unknown } {
  let last: unknown;
  return {
    lastArg: () => last,
    impl: {
      inspect(value: unknown) {
        last = value;
        return { isMap: value instanceof Map, isDate: value instanceof Date, type: typeof value, json: JSON.stringify(value) };
      },
      same(value: object) {
        return value === last;
      },
    },
  };
}

test('copyValues: non-JSON values do not survive the copy, as they would not survive the network', async () => {
  // Arguments must be JSON plain data (see rpc/index.ts): a Map arrives as {}, a Date as its ISO
  // string, undefined array slots as null, and functions disappear. copyValues makes tests see this.
  const registry = new InProcessRegistry({ nodeId: 'n', copyValues: true });
  const p = probe();
  await registry.provide('probe', p.impl);
  const svc = registry.consume<Probe>('probe');
  assert.deepEqual(await svc.inspect(new Map([['k', 'v']])), { isMap: false, isDate: false, type: 'object', json: '{}' });
  const date = new Date(Date.UTC(2024, 0, 2));
  assert.deepEqual(await svc.inspect(date), { isMap: false, isDate: false, type: 'string', json: '"2024-01-02T00:00:00.000Z"' });
  assert.deepEqual(await svc.inspect([1, undefined, () => 1]), { isMap: false, isDate: false, type: 'object', json: '[1,null,null]' });
  assert.deepEqual(await svc.inspect({ a: undefined, f: () => 1, b: 2 }), { isMap: false, isDate: false, type: 'object', json: '{"b":2}' });
  assert.deepEqual(p.lastArg(), { b: 2 });
  await registry.close();
});

test('without copyValues the provider gets the caller\'s objects (production embedded mode shares memory)', async () => {
  const registry = new InProcessRegistry({ nodeId: 'n' });
  const p = probe();
  await registry.provide('probe', p.impl);
  const svc = registry.consume<Probe>('probe');
  const map = new Map([['k', 'v']]);
  assert.equal((await svc.inspect(map)).isMap, true);
  assert.equal(p.lastArg(), map);
  await registry.close();
});

test('providers() names this node once a service is provided', async () => {
  const registry = new InProcessRegistry({ nodeId: 'node-7' });
  assert.deepEqual(registry.providers('s'), []);
  await registry.provide('s', {});
  assert.deepEqual(registry.providers('s'), ['node-7']);
  await registry.close();
  assert.deepEqual(registry.providers('s'), []);
});

test('provide() after close() fails with SHUTTING_DOWN', async () => {
  const registry = new InProcessRegistry({ nodeId: 'n' });
  await registry.close();
  await assert.rejects(registry.provide('s', {}), isFscError('SHUTTING_DOWN'));
});

test('symbol and then properties of the proxy are undefined, other names are callable', async () => {
  const registry = new InProcessRegistry({ nodeId: 'n' });
  const svc = registry.consume<Record<string | symbol, unknown>>('s');
  assert.equal(svc['then'], undefined);
  assert.equal(svc[Symbol.iterator], undefined);
  assert.equal(typeof svc['anything'], 'function');
  await registry.close();
});

test('one service, providers on several nodes (connector threads): each listed, calls shared, each withdrawn alone', async () => {
  const registry = new InProcessRegistry({ nodeId: 'embedded-0' });
  const seen: string[][] = [];
  registry.watchProviders('connector', (nodes) => seen.push(nodes));
  await registry.provide('connector', { ping: async () => 'a' }, { node: 'embedded-0' });
  await registry.provide('connector', { ping: async () => 'b' }, { node: 'embedded-0-1' });
  assert.deepEqual(registry.providers('connector').sort(), ['embedded-0', 'embedded-0-1']);
  const consumer = registry.consume<{ ping(): Promise<string> }>('connector');
  const answers = new Set([await consumer.ping(), await consumer.ping(), await consumer.ping()]);
  assert.deepEqual([...answers].sort(), ['a', 'b']);
  await registry.withdraw('connector', 'embedded-0-1');
  assert.deepEqual(registry.providers('connector'), ['embedded-0']);
  assert.equal(await consumer.ping(), 'a');
  await registry.withdraw('connector', 'embedded-0');
  assert.deepEqual(seen.at(-1), []);
  await assert.rejects(consumer.ping(), isFscError('RPC_NO_PROVIDER'));
  await registry.close();
});
