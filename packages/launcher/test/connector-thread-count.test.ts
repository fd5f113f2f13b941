import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { connectorThreadCount } from '../src/embedded.ts';

test('connector threads: auto is 2 × cores (at most 8) where ports can be shared, 1 elsewhere; more than 1 there is a config error', () => {
  assert.equal(connectorThreadCount('auto', 'linux'), Math.min(8, 2 * availableParallelism()));
  assert.equal(connectorThreadCount('auto', 'darwin'), 1);
  assert.equal(connectorThreadCount(3, 'linux'), 3);
  assert.equal(connectorThreadCount(1, 'win32'), 1);
  assert.throws(() => connectorThreadCount(2, 'darwin'), (err: Error & { code?: string }) => err.code === 'CONFIG_INVALID' && /SO_REUSEPORT/.test(err.message));
});
