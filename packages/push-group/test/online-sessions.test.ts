import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { InProcessRegistry, MemoryGrid } from '@fscpush/adapter-memory';
import { OnlineSessions } from '../src/sessions/online-sessions.ts';

const session = (node: string, connToken: string) => ({ node, connToken, transport: 'tcp' as const, since: Date.now() });

test('sessions of a connector that left the registry become ghosts after the grace and are removed from the grid', async () => {
  const grid = new MemoryGrid();
  const online = new OnlineSessions(grid, 50);
  online.setLiveConnectors(['conn-a', 'conn-b']);
  await online.register('u1', 'phone', session('conn-a', 't1'));
  await online.register('u1', 'web', session('conn-b', 't2'));
  online.setLiveConnectors(['conn-a']); // conn-b died
  assert.deepEqual(Object.keys(await online.of('u1')).sort(), ['phone', 'web'], 'within the grace nothing is dropped');
  await sleep(80);
  assert.deepEqual(Object.keys(await online.of('u1')), ['phone']);
  await sleep(10);
  assert.deepEqual(Object.keys((await grid.map<Record<string, unknown>>('online-sessions').get('u1')) ?? {}), ['phone'], 'the ghost is gone from the grid too');
  await grid.close();
});

test('a connector registered after push-group started watching keeps its sessions (embedded registry watch)', async () => {
  const grid = new MemoryGrid();
  const registry = new InProcessRegistry({ nodeId: 'embedded-0' });
  const online = new OnlineSessions(grid, 20);
  registry.watchProviders('fscpush.Connector', (nodes) => online.setLiveConnectors(nodes));
  await registry.provide('fscpush.Connector', { ping: async () => 'embedded-0' });
  await online.register('u2', 'phone', session('embedded-0', 't3'));
  await sleep(60);
  assert.deepEqual(Object.keys(await online.of('u2')), ['phone'], 'past the grace the session is still alive');
  const many = await online.ofMany(['u2', 'nobody']);
  assert.deepEqual([...many.keys()], ['u2']);
  await registry.close();
  await grid.close();
});

test('unregister removes only the connection that registered', async () => {
  const grid = new MemoryGrid();
  const online = new OnlineSessions(grid);
  await online.register('u3', 'phone', session('conn-a', 'old'));
  const previous = await online.register('u3', 'phone', session('conn-b', 'new'));
  assert.equal(previous?.connToken, 'old');
  await online.unregister('u3', 'phone', 'old');
  assert.equal((await online.of('u3'))['phone']?.connToken, 'new', 'a late disconnect of the replaced connection changes nothing');
  await online.unregister('u3', 'phone', 'new');
  assert.deepEqual(await online.of('u3'), {});
  await grid.close();
});
