import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FscError, loadConfig } from '@fscpush/core';
import { chooseAdapters } from '../src/compose/adapter-choice.ts';

const config = (overrides: Record<string, string>) => loadConfig({ env: {}, overrides }).values;

test('each mode has its default adapters; im.embed_db picks sqlite for a cluster service', () => {
  assert.deepEqual(chooseAdapters('embedded', config({})), { registry: 'memory', bus: 'memory', grid: 'memory', store: 'sqlite', media: 'local-files' });
  assert.deepEqual(chooseAdapters('cluster', config({})), { registry: 'zookeeper', bus: 'kafka', grid: 'hazelcast', store: 'mysql', media: 'minio' });
  assert.equal(chooseAdapters('cluster', config({ 'im.embed_db': '1' })).store, 'sqlite');
});

test('an adapter is a config change: the all-in-one server on Kafka and Hazelcast, a cluster service on SQLite', () => {
  const embedded = chooseAdapters('embedded', config({ 'fscpush.bus': 'kafka', 'fscpush.grid': 'hazelcast' }));
  assert.equal(embedded.bus, 'kafka');
  assert.equal(embedded.grid, 'hazelcast');
  assert.equal(chooseAdapters('cluster', config({ 'fscpush.store': 'sqlite' })).store, 'sqlite');
});

test('an unknown adapter, or one that cannot work in the mode, stops the start naming the key and the choices', () => {
  const refused = (mode: 'embedded' | 'cluster', overrides: Record<string, string>, message: RegExp) =>
    assert.throws(() => chooseAdapters(mode, config(overrides)), (err: unknown) => err instanceof FscError && err.code === 'CONFIG_INVALID' && message.test(err.message));
  refused('embedded', { 'fscpush.bus': 'kafak' }, /^fscpush\.bus: no bus adapter named "kafak"; one of memory, kafka$/);
  refused('cluster', { 'fscpush.registry': 'memory' }, /^fscpush\.registry: the memory registry does not work in cluster mode \(other processes would not see it\); here: zookeeper$/);
  refused('embedded', { 'fscpush.store': 'mysql', 'fscpush.media': 'minio' }, /fscpush\.store: the mysql store does not work in embedded mode[^\n]*\nfscpush\.media: the minio media/);
});
