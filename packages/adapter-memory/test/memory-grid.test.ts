import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryGrid } from '../src/memory-grid.ts';
import { describeGridContract } from '@fscpush/ports/contracts/grid-contract';

describeGridContract('MemoryGrid', { create: async () => new MemoryGrid() });

// What the embedded grid does beyond the contract.

test('MemoryGrid: close() drops every map', async () => {
  const grid = new MemoryGrid();
  await grid.map<number>('m').set('k', 1);
  await grid.close();
  assert.equal(await grid.map<number>('m').get('k'), undefined);
});

test('MemoryGrid: a TTL of 0 or less means no expiry', async () => {
  const grid = new MemoryGrid();
  const map = grid.map<string>('m');
  await map.set('zero', 'v', 0);
  await map.set('negative', 'v', -5);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await map.get('zero'), 'v');
  assert.equal(await map.get('negative'), 'v');
  await grid.close();
});
