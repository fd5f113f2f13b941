import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createZkNodeIdAllocator, createZkRegistry } from '../src/index.ts';
import { isFscError } from '@fscpush/ports/contracts/registry-contract';

// No engine needed: these fail before or while reaching ZooKeeper.

test('an unreachable ZooKeeper fails start-up with REGISTRY_UNAVAILABLE within connectTimeoutMs', async () => {
  const started = Date.now();
  await assert.rejects(createZkRegistry({ zookeeper: { connect: '127.0.0.1:1', connectTimeoutMs: 500 }, nodeId: 'x' }), isFscError('REGISTRY_UNAVAILABLE'));
  await assert.rejects(createZkNodeIdAllocator({ zookeeper: { connect: '127.0.0.1:1', connectTimeoutMs: 500 } }), isFscError('REGISTRY_UNAVAILABLE'));
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test('invalid options are CONFIG_INVALID, naming the option', async () => {
  const zookeeper = { connect: '127.0.0.1:1', connectTimeoutMs: 100 };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ host: '0.0.0.0' }, /host/],
    [{ host: '::' }, /host/],
    [{ port: 70000 }, /port/],
    [{ root: 'dubbo' }, /root/],
    [{ nodeId: '' }, /nodeId/],
    [{ retries: -1 }, /retries/],
    [{ callTimeoutMs: 0 }, /callTimeoutMs/],
    [{ maxFrameBytes: -5 }, /maxFrameBytes/],
  ];
  for (const [extra, message] of cases) {
    await assert.rejects(createZkRegistry({ zookeeper, nodeId: 'n', ...extra }), (err: Error) => {
      isFscError('CONFIG_INVALID')(err);
      assert.match(err.message, message);
      return true;
    });
  }
  await assert.rejects(createZkRegistry({ zookeeper: { connect: '' }, nodeId: 'n' }), isFscError('CONFIG_INVALID'));
});
