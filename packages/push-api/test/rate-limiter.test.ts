import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '@fscpush/core';
import type { SharedGrid } from '@fscpush/ports';
import { MemoryGrid } from '@fscpush/adapter-memory';
import { RateLimiter } from '../src/http/rate-limiter.ts';

const log = createLogger('test', { level: 'silent' });
const WINDOW_START = 1_800_000_000_000; // a multiple of 10 s

test('instances sharing a grid share the count; keys are counted apart', async () => {
  const grid = new MemoryGrid();
  const one = new RateLimiter(grid, { limit: 3, windowSeconds: 10 }, log);
  const two = new RateLimiter(grid, { limit: 3, windowSeconds: 10 }, log);
  const now = WINDOW_START + 2_500;
  assert.deepEqual(await one.check('k', now), { ok: true });
  assert.deepEqual(await two.check('k', now), { ok: true });
  assert.deepEqual(await one.check('k', now), { ok: true });
  assert.deepEqual(await two.check('k', now), { ok: false, retryAfterSeconds: 8 });
  assert.deepEqual(await one.check('other', now), { ok: true });
  assert.deepEqual(await one.check('k', WINDOW_START + 10_000), { ok: true }, 'the next window starts afresh');
  await grid.close();
});

test('Retry-After rounds up to whole seconds and is at least 1', async () => {
  const grid = new MemoryGrid();
  const limiter = new RateLimiter(grid, { limit: 1, windowSeconds: 10 }, log);
  await limiter.check('k', WINDOW_START + 9_990);
  assert.deepEqual(await limiter.check('k', WINDOW_START + 9_990), { ok: false, retryAfterSeconds: 1 });
  await grid.close();
});

test('limit 0 never counts; a failing grid lets requests through', async () => {
  const broken = {
    map: () => ({ increment: async () => { throw new Error('grid down'); } }),
    close: async () => {},
  } as unknown as SharedGrid;
  assert.deepEqual(await new RateLimiter(broken, { limit: 0, windowSeconds: 1 }, log).check('k'), { ok: true });
  assert.deepEqual(await new RateLimiter(broken, { limit: 1, windowSeconds: 1 }, log).check('k'), { ok: true });
});
