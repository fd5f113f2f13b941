import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FscError } from '@fscpush/core';
import type { ObjectStorage } from '../media.ts';
import { sleep, uniqueName } from './helpers.ts';

/**
 * The ObjectStorage contract, run against every implementation (LocalFileStorage with its HTTP endpoint
 * here, MinIO in the cluster tier), over real HTTP as clients use it: presigned PUT, then a public GET of
 * `publicBaseUrl(bucket) + "/" + key`. Every test uses fresh bucket names, so one MinIO serves every run.
 */
export interface MediaContractOptions {
  /** A storage for the suite; closed after it. */
  create(): Promise<ObjectStorage>;
  /** Whether a PUT over the URL's maxBytes is refused (S3 presigned PUTs cannot carry a size limit). */
  enforcesMaxBytes: boolean;
  /** Whether GET's Content-Type follows the key's extension; otherwise it is what the upload sent (S3). */
  typeFromExtension: boolean;
}

export const UNSAFE_KEYS = ['../x', 'a/../../etc/passwd', '/etc/passwd', 'a/b', 'a\\b', '..', '.', '', '.hidden', 'x\u0000y', 'x\ny', 'x..y', 'x?y', 'x%2e', 'a'.repeat(256), 'a' + '文'.repeat(100)];
export const UNSAFE_BUCKETS = ['..', '../media', 'a/b', 'Media', 'ab', '', '-bucket', 'a..b', 'x'.repeat(64), 'a\\b'];

const isInvalidData = (err: unknown): boolean => err instanceof FscError && err.code === 'INVALID_DATA';

export function bytes(length: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 256);
}

export async function httpGet(url: string): Promise<{ status: number; body: Uint8Array; type: string | null; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()), type: res.headers.get('content-type'), headers: res.headers };
}

export async function httpPut(url: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, { method: 'PUT', body, headers });
  await res.arrayBuffer();
  return res.status;
}

/** The URL with the last character of its signature parameter changed. */
export function tamperSignature(url: string): string {
  const parsed = new URL(url);
  const name = [...parsed.searchParams.keys()].find((k) => /signature/i.test(k));
  assert.ok(name, `no signature parameter in ${url}`);
  const value = parsed.searchParams.get(name)!;
  parsed.searchParams.set(name, value.slice(0, -1) + (value.endsWith('A') ? 'B' : 'A'));
  return parsed.href;
}

/** The URL with its path's last segment (the key) or first segment (the bucket) replaced. */
export function withPathSegment(url: string, which: 'bucket' | 'key', value: string): string {
  const parsed = new URL(url);
  const parts = parsed.pathname.split('/');
  parts[which === 'key' ? parts.length - 1 : parts.length - 2] = encodeURIComponent(value);
  parsed.pathname = parts.join('/');
  return parsed.href;
}

export function describeMediaContract(name: string, options: MediaContractOptions): void {
  describe(`ObjectStorage contract: ${name}`, () => {
    let storage: ObjectStorage;
    let bucket: string;
    let other: string;
    const limits = { maxBytes: 1 << 20 };

    before(async () => {
      storage = await options.create();
      bucket = uniqueName('media');
      other = uniqueName('media');
      await storage.ensureBuckets([bucket, other]);
      await storage.ensureBuckets([bucket]);
    });
    after(async () => {
      await storage.close();
    });

    const objectUrl = (key: string, b = bucket): string => `${storage.publicBaseUrl(b)}/${key}`;

    test('put/get keeps every byte; put overwrites; an empty object is an object', async () => {
      const data = bytes(70_000);
      await storage.put(bucket, 'blob.bin', data);
      assert.deepEqual(new Uint8Array((await storage.get(bucket, 'blob.bin'))!), data);
      await storage.put(bucket, 'blob.bin', Uint8Array.of(4));
      assert.deepEqual([...(await storage.get(bucket, 'blob.bin'))!], [4]);
      await storage.put(bucket, 'empty.txt', new Uint8Array(0));
      assert.equal((await storage.get(bucket, 'empty.txt'))!.length, 0);
      assert.equal(await storage.get(bucket, 'nope.jpg'), undefined);
      assert.equal(await storage.get(other, 'blob.bin'), undefined, 'buckets are separate namespaces');
    });

    test('objects are public: GET domain + "/" + key without credentials, FShareChat-style keys included', async () => {
      assert.match(storage.publicBaseUrl(bucket), /^https?:\/\/[^?#]+[^/]$/);
      const keys = ['1-uid123-1700000000000-photo.jpg', '4-u_x-1700000000002-my file (1)+v2.pdf', '4-uid-1700000000003-文件.txt'];
      for (const [i, key] of keys.entries()) {
        await storage.put(bucket, key, bytes(100, i));
        const got = await httpGet(objectUrl(key));
        assert.equal(got.status, 200, key);
        assert.deepEqual(got.body, bytes(100, i), key);
      }
      assert.equal((await httpGet(objectUrl('missing.jpg'))).status, 404);
    });

    test('a presigned PUT stores the bytes; GET returns them with the content type', async () => {
      const key = '1-alice-1700000000000-cat.png';
      const url = await storage.presignedPutUrl(bucket, key, 60, limits);
      const data = bytes(300_000, 3);
      assert.equal(await httpPut(url, data, { 'content-type': 'image/png' }), 200);
      const got = await httpGet(objectUrl(key));
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, data);
      assert.equal(got.type, 'image/png');
      assert.deepEqual(new Uint8Array((await storage.get(bucket, key))!), data);

      assert.equal(await httpPut(url, bytes(10, 9)), 200, 'the URL may be used again until it expires');
      assert.deepEqual(new Uint8Array((await storage.get(bucket, key))!), bytes(10, 9));
    });

    test('without a Content-Type the type follows the extension', { skip: !options.typeFromExtension && 'S3 keeps the type the upload sent' }, async () => {
      const key = '1-alice-1700000000001-dog.jpg';
      assert.equal(await httpPut(await storage.presignedPutUrl(bucket, key, 60, limits), bytes(50)), 200);
      assert.equal((await httpGet(objectUrl(key))).type, 'image/jpeg');
    });

    test('an expired URL is refused and writes nothing', async () => {
      const key = '2-bob-1700000000000.amr';
      const url = await storage.presignedPutUrl(bucket, key, 1, limits);
      await sleep(2200);
      const status = await httpPut(url, bytes(10));
      assert.ok(status >= 400 && status < 500, `status ${status}`);
      assert.equal(await storage.get(bucket, key), undefined);
    });

    test('a tampered signature, another key, another bucket or a bare URL is refused and writes nothing', async () => {
      const key = '1-carol-1700000000000.png';
      const url = await storage.presignedPutUrl(bucket, key, 60, limits);
      const attempts = {
        tampered: tamperSignature(url),
        otherKey: withPathSegment(url, 'key', '1-mallory-1700000000000.png'),
        otherBucket: withPathSegment(url, 'bucket', other),
        bare: objectUrl(key),
      };
      for (const [what, attempt] of Object.entries(attempts)) {
        const status = await httpPut(attempt, bytes(10));
        assert.ok(status >= 400 && status < 500, `${what}: status ${status}`);
      }
      assert.equal(await storage.get(bucket, key), undefined);
      assert.equal(await storage.get(bucket, '1-mallory-1700000000000.png'), undefined);
      assert.equal(await storage.get(other, key), undefined);
    });

    test('a PUT URL allows no other method', async () => {
      const key = '1-dave-1700000000000.png';
      await storage.put(bucket, key, Uint8Array.of(1, 2, 3));
      const url = await storage.presignedPutUrl(bucket, key, 60, limits);
      const res = await fetch(url, { method: 'DELETE' });
      await res.arrayBuffer();
      assert.ok(res.status >= 400 && res.status < 500, `DELETE: status ${res.status}`);
      assert.deepEqual([...(await storage.get(bucket, key))!], [1, 2, 3]);
    });

    test('CORS: the upload URL answers a preflight, GET answers with an allowed origin', async () => {
      const origin = 'https://chat.example.com';
      const url = await storage.presignedPutUrl(bucket, '1-erin-1700000000000.png', 60, limits);
      const pre = await fetch(url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
      });
      await pre.arrayBuffer();
      assert.ok(pre.status >= 200 && pre.status < 300, `preflight status ${pre.status}`);
      assert.ok(['*', origin].includes(pre.headers.get('access-control-allow-origin') ?? ''), 'preflight allow-origin');
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /PUT/);
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /content-type/i);

      await storage.put(bucket, 'cors.png', Uint8Array.of(1));
      const res = await fetch(objectUrl('cors.png'), { headers: { origin } });
      await res.arrayBuffer();
      assert.ok(['*', origin].includes(res.headers.get('access-control-allow-origin') ?? ''), 'GET allow-origin');
    });

    test('unsafe keys and bucket names are refused with INVALID_DATA by every method', async () => {
      for (const key of UNSAFE_KEYS) {
        const k = JSON.stringify(key);
        await assert.rejects(storage.put(bucket, key, Uint8Array.of(6)), isInvalidData, `put ${k}`);
        await assert.rejects(storage.get(bucket, key), isInvalidData, `get ${k}`);
        await assert.rejects(storage.presignedPutUrl(bucket, key, 60, limits), isInvalidData, `presignedPutUrl ${k}`);
      }
      for (const b of UNSAFE_BUCKETS) {
        const k = JSON.stringify(b);
        await assert.rejects(storage.ensureBuckets([b]), isInvalidData, `ensureBuckets ${k}`);
        await assert.rejects(storage.put(b, 'ok', Uint8Array.of(6)), isInvalidData, `put into ${k}`);
        await assert.rejects(storage.get(b, 'ok'), isInvalidData, `get from ${k}`);
        await assert.rejects(storage.presignedPutUrl(b, 'ok', 60, limits), isInvalidData, `presignedPutUrl ${k}`);
        assert.throws(() => storage.publicBaseUrl(b), isInvalidData, `publicBaseUrl ${k}`);
      }
      for (const expiry of [0, -1, 1.5, 7 * 24 * 3600 + 1]) {
        await assert.rejects(storage.presignedPutUrl(bucket, 'ok', expiry, limits), isInvalidData, `expiry ${expiry}`);
      }
      await assert.rejects(storage.presignedPutUrl(bucket, 'ok', 60, { maxBytes: 0 }), isInvalidData, 'maxBytes 0');
    });

    test('a body over maxBytes is refused and writes nothing', { skip: !options.enforcesMaxBytes && 'not enforceable with S3 presigned PUTs' }, async () => {
      const key = '3-frank-1700000000000.mp4';
      const url = await storage.presignedPutUrl(bucket, key, 60, { maxBytes: 1000 });
      assert.equal(await httpPut(url, bytes(1001)), 413);
      assert.equal(await storage.get(bucket, key), undefined);
      assert.equal(await httpPut(url, bytes(1000)), 200, 'exactly maxBytes is accepted');
      assert.equal((await storage.get(bucket, key))!.length, 1000);
    });
  });
}
