import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FscError } from '@fscpush/core';
import { isSafeBucketName, isSafeObjectKey } from '@fscpush/ports';
import { LocalFileStorage } from '../src/local-file-storage.ts';
import { describeMediaContract } from '@fscpush/ports/contracts/media-contract';
import { filesUnder, startLocalMediaServer } from './local-media-server.ts';

const sandbox = mkdtempSync(join(tmpdir(), 'fscpush-media-'));
after(() => rmSync(sandbox, { recursive: true, force: true }));
let rootCount = 0;

/** A storage whose root sits one level inside the sandbox, so escapes would land in the sandbox. */
async function storage(buckets = ['media']): Promise<{ store: LocalFileStorage; root: string; outside: string }> {
  const outside = join(sandbox, `case-${++rootCount}`);
  const root = join(outside, 'root');
  const store = new LocalFileStorage(root, { publicUrl: 'http://127.0.0.1:1', signingSecret: randomBytes(32) });
  await store.ensureBuckets(buckets);
  return { store, root, outside };
}


const isInvalidData = (err: unknown): boolean => err instanceof FscError && err.code === 'INVALID_DATA';

const BAD_KEYS = [
  '../x',
  'a/../../etc/passwd',
  '/abs',
  '/etc/passwd',
  'a/b',
  'a\\b',
  '..\\x',
  '..',
  '.',
  '',
  '.hidden',
  'x\u0000y',
  'x\ny',
  'x\n',
  'x\r',
  'x\ty',
  'x..y',
  'photo.jpg/',
  'C:\\Windows',
  'C:x',
  'x?y',
  'x*y',
  'x<y>',
  'x"y',
  'x|y',
  '-rf',
  ' leading-space',
  'x\u202ey', // right-to-left override
  'x\u200by', // zero-width space
  'a'.repeat(256),
  'a'.repeat(10_000),
];

test('put/get round trip keeps every byte', async () => {
  const { store, root } = await storage();
  const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
  await store.put('media', 'blob', data);
  assert.deepEqual(new Uint8Array((await store.get('media', 'blob'))!), data);
  await store.put('media', 'empty', new Uint8Array(0));
  assert.equal((await store.get('media', 'empty'))!.length, 0);
  assert.deepEqual(filesUnder(root), ['media/blob', 'media/empty'], 'no temp files left behind');
});

test('put overwrites an existing object', async () => {
  const { store } = await storage();
  await store.put('media', 'k', Uint8Array.of(1, 2, 3));
  await store.put('media', 'k', Uint8Array.of(4));
  assert.deepEqual([...(await store.get('media', 'k'))!], [4]);
});

test('FShareChat-style keys work', async () => {
  const { store, root } = await storage();
  const keys = [
    '1-uid123-1700000000000-photo.jpg',
    '3-Ab_c-1700000000001-voice.amr',
    '4-uid-1700000000002-my file (1).mp4',
    '5-uid-1700000000003-文件.pdf',
    'portrait@2x.png',
    'a'.repeat(200),
  ];
  for (const [i, key] of keys.entries()) {
    assert.ok(isSafeObjectKey(key), key);
    await store.put('media', key, Uint8Array.of(i));
    assert.deepEqual([...(await store.get('media', key))!], [i], key);
  }
  assert.deepEqual(filesUnder(join(root, 'media')), [...keys].sort());
});

test('the longest accepted key can be stored', async () => {
  const { store } = await storage();
  const key = 'k'.repeat(255);
  assert.ok(isSafeObjectKey(key));
  await store.put('media', key, Uint8Array.of(1));
  assert.deepEqual([...(await store.get('media', key))!], [1]);
});

test('a key longer than a file name may be is refused with INVALID_DATA, never a raw filesystem error', async () => {
  const { store } = await storage();
  const key = 'a' + '文'.repeat(200); // 601 bytes in UTF-8
  assert.ok(isSafeObjectKey(key));
  await assert.rejects(store.put('media', key, Uint8Array.of(1)), isInvalidData);
  await assert.rejects(store.get('media', key), isInvalidData);
  const longest = 'a' + '文'.repeat(84); // 253 bytes
  await store.put('media', longest, Uint8Array.of(1));
  assert.deepEqual([...(await store.get('media', longest))!], [1]);
});

test('a missing object is undefined', async () => {
  const { store } = await storage();
  assert.equal(await store.get('media', 'nope.jpg'), undefined);
});

test('unsafe keys are refused with INVALID_DATA by put and get, and nothing is written anywhere', async () => {
  const { store, outside } = await storage();
  await store.put('media', 'ok', Uint8Array.of(1));
  for (const key of BAD_KEYS) {
    assert.equal(isSafeObjectKey(key), false, `isSafeObjectKey(${JSON.stringify(key)})`);
    await assert.rejects(store.put('media', key, Uint8Array.of(6, 6, 6)), isInvalidData, `put ${JSON.stringify(key)}`);
    await assert.rejects(store.get('media', key), isInvalidData, `get ${JSON.stringify(key)}`);
  }
  assert.deepEqual(filesUnder(outside), [join('root', 'media', 'ok')], 'only the legitimate object exists');
});

test('unsafe bucket names are refused with INVALID_DATA and create nothing', async () => {
  const { store, outside } = await storage([]);
  for (const bucket of ['..', '../media', 'a/b', 'Media', 'ab', '', '.x.', '-bucket', 'bucket-', 'a..b', 'x'.repeat(64), 'a\\b', '/tmp']) {
    assert.equal(isSafeBucketName(bucket), false, bucket);
    await assert.rejects(store.ensureBuckets([bucket]), isInvalidData, `ensureBuckets ${JSON.stringify(bucket)}`);
    await assert.rejects(store.put(bucket, 'ok', Uint8Array.of(1)), isInvalidData, `put into ${JSON.stringify(bucket)}`);
    await assert.rejects(store.get(bucket, 'ok'), isInvalidData, `get from ${JSON.stringify(bucket)}`);
  }
  assert.equal(existsSync(outside), false, 'not even the root was created');
  for (const bucket of ['media', 'fscpush-media', 'a.b-c', 'x'.repeat(63)]) assert.ok(isSafeBucketName(bucket), bucket);
});

test('buckets are separate namespaces', async () => {
  const { store } = await storage(['one', 'two']);
  await store.put('one', 'k', Uint8Array.of(1));
  assert.equal(await store.get('two', 'k'), undefined);
});

describeMediaContract('LocalFileStorage', {
  create: async () => {
    const server = await startLocalMediaServer(join(sandbox, `contract-${++rootCount}`));
    const { storage } = server;
    const close = storage.close.bind(storage);
    // The suite closes the storage; the HTTP endpoint goes with it.
    storage.close = async () => {
      await close();
      await server.close();
    };
    return storage;
  },
  enforcesMaxBytes: true,
  typeFromExtension: true,
});
