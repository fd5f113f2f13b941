import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalFileStorage } from '../src/local-file-storage.ts';
import { parseByteRange } from '../src/byte-range.ts';
import { bytes, httpGet, httpPut } from '@fscpush/ports/contracts/media-contract';
import { sleep } from '@fscpush/ports/contracts/helpers';
import { filesUnder, startLocalMediaServer, type LocalMediaServer } from './local-media-server.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request whose path goes out exactly as written (fetch would normalise "../" away). */
function raw(base: string, method: string, path: string, options: { body?: Buffer; headers?: Record<string, string>; chunks?: Buffer[] } = {}): Promise<RawResponse> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: options.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end(options.body);
  });
}

describe('LocalFileStorage HTTP endpoint', () => {
  const sandbox = mkdtempSync(join(tmpdir(), 'fscpush-media-http-'));
  const BUCKET = 'minio-bucket-image-name';
  let media: LocalMediaServer;
  let sentinel: string;

  before(async () => {
    media = await startLocalMediaServer(join(sandbox, 'install'));
    await media.storage.ensureBuckets([BUCKET, 'minio-bucket-file-name']);
    sentinel = join(media.outside, 'sentinel.txt');
    writeFileSync(sentinel, 'keep me');
  });
  after(async () => {
    await media.close();
    rmSync(sandbox, { recursive: true, force: true });
  });

  const objectUrl = (key: string): string => `${media.storage.publicBaseUrl(BUCKET)}/${key}`;

  test('path tricks are refused with 4xx for PUT and GET, and nothing is written anywhere', async () => {
    await media.storage.put(BUCKET, 'ok.png', Uint8Array.of(1));
    const before = filesUnder(media.outside);
    // A genuine signature for ok.png: only the path differs, so the path check is what refuses.
    const query = new URL(await media.storage.presignedPutUrl(BUCKET, 'ok.png', 60, { maxBytes: 1000 })).search;
    const paths = [
      `/${BUCKET}/../escape.png`,
      `/${BUCKET}/../../escape.png`,
      `/${BUCKET}/..%2F..%2Fescape.png`,
      `/${BUCKET}/%2e%2e%2fescape.png`,
      `/${BUCKET}/%2E%2E`,
      `/${BUCKET}/..`,
      `/%2e%2e/escape.png`,
      `/../escape.png`,
      `/..%2Fescape.png/x`,
      `/${BUCKET}/a%5Cescape.png`,
      `/${BUCKET}/..%5C..%5Cescape.png`,
      `/${BUCKET}/escape%00.png`,
      `/${BUCKET}/escape.png%00`,
      `/${BUCKET}/%2Ftmp%2Fescape.png`,
      `/${BUCKET}//tmp/escape.png`,
      `//tmp/escape.png`,
      `/${BUCKET}/.escape.png`,
      `/${BUCKET}/%`,
      `/${BUCKET}/%E0%A4%A`,
      `/${BUCKET}/ok.png/..`,
      `/${BUCKET}/ok.png/`,
    ];
    for (const path of paths) {
      for (const method of ['PUT', 'GET']) {
        const res = await raw(media.url, method, method === 'PUT' ? path + query : path, method === 'PUT' ? { body: Buffer.from('pwned') } : {});
        assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: status ${res.status}`);
        assert.doesNotMatch(res.body.toString(), /keep me|pwned/, `${method} ${path} leaked a file`);
      }
    }
    assert.deepEqual(filesUnder(media.outside), before, 'no file was created, renamed or left behind');
    assert.equal(readFileSync(sentinel, 'utf8'), 'keep me');
    assert.deepEqual([...(await media.storage.get(BUCKET, 'ok.png'))!], [1]);
  });

  test('a URL signed with another install\'s secret is refused', async () => {
    const foreign = new LocalFileStorage(media.root, { publicUrl: media.url, signingSecret: randomBytes(32) });
    const url = await foreign.presignedPutUrl(BUCKET, '1-u-1700000000000.png', 60, { maxBytes: 1000 });
    assert.equal(await httpPut(url, bytes(10)), 403);
    assert.equal(await media.storage.get(BUCKET, '1-u-1700000000000.png'), undefined);
  });

  test('a signature made longer or shorter is refused', async () => {
    const url = new URL(await media.storage.presignedPutUrl(BUCKET, '1-u-1700000000001.png', 60, { maxBytes: 1000 }));
    const sig = url.searchParams.get('X-Fsc-Signature')!;
    for (const changed of [sig + 'A', sig + '=', sig.slice(0, -1), '', sig.toUpperCase()]) {
      url.searchParams.set('X-Fsc-Signature', changed);
      assert.equal(await httpPut(url.href, bytes(10)), 403, JSON.stringify(changed));
    }
    for (const [name, value] of [['X-Fsc-Expires', '99999999999'], ['X-Fsc-Max-Bytes', '999999999']] as const) {
      const forged = new URL(url.href);
      forged.searchParams.set('X-Fsc-Signature', sig);
      forged.searchParams.set(name, value);
      assert.equal(await httpPut(forged.href, bytes(10)), 403, `raised ${name}`);
    }
    assert.equal(await media.storage.get(BUCKET, '1-u-1700000000001.png'), undefined);
  });

  test('the type comes from the extension, never from the uploader; nothing runs as a page', async () => {
    const html = Buffer.from('<script>alert(1)</script>');
    const png = await media.storage.presignedPutUrl(BUCKET, 'x.png', 60, { maxBytes: 1000 });
    assert.equal(await httpPut(png, html, { 'content-type': 'text/html' }), 200);
    const got = await httpGet(objectUrl('x.png'));
    assert.equal(got.type, 'image/png');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.match(got.headers.get('content-security-policy') ?? '', /sandbox/);

    for (const [key, type] of [['page.html', 'application/octet-stream'], ['logo.svg', 'application/octet-stream'], ['notes.TXT', 'text/plain; charset=utf-8'], ['clip.MP4', 'video/mp4'], ['voice.amr', 'audio/amr'], ['noext', 'application/octet-stream']]) {
      await media.storage.put(BUCKET, key!, html);
      assert.equal((await httpGet(objectUrl(key!))).type, type, key);
    }
  });

  test('no listings, no other methods', async () => {
    for (const path of ['/', `/${BUCKET}`, `/${BUCKET}/`, '/nope/x.png']) {
      assert.equal((await raw(media.url, 'GET', path)).status, 404, path);
    }
    await media.storage.put(BUCKET, 'keep.png', Uint8Array.of(7));
    for (const method of ['POST', 'DELETE', 'PATCH']) {
      const res = await raw(media.url, method, `/${BUCKET}/keep.png`);
      assert.equal(res.status, 405, method);
      assert.match(String(res.headers['allow']), /PUT/);
    }
    assert.deepEqual([...(await media.storage.get(BUCKET, 'keep.png'))!], [7]);
  });

  test('a URL for a bucket that was never created is refused', async () => {
    const url = await media.storage.presignedPutUrl('minio-bucket-video-name', 'v.mp4', 60, { maxBytes: 1000 });
    assert.equal(await httpPut(url, bytes(10)), 404);
    assert.deepEqual(filesUnder(media.root).filter((f) => f.startsWith('minio-bucket-video-name')), []);
  });

  test('byte ranges for media players; HEAD has the headers and no body', async () => {
    const data = bytes(1000);
    await media.storage.put(BUCKET, 'clip.mp4', data);
    const part = await raw(media.url, 'GET', `/${BUCKET}/clip.mp4`, { headers: { range: 'bytes=10-19' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], 'bytes 10-19/1000');
    assert.deepEqual(new Uint8Array(part.body), data.subarray(10, 20));
    const tail = await raw(media.url, 'GET', `/${BUCKET}/clip.mp4`, { headers: { range: 'bytes=-5' } });
    assert.deepEqual(new Uint8Array(tail.body), data.subarray(995));
    const beyond = await raw(media.url, 'GET', `/${BUCKET}/clip.mp4`, { headers: { range: 'bytes=1000-' } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers['content-range'], 'bytes */1000');
    const head = await raw(media.url, 'HEAD', `/${BUCKET}/clip.mp4`);
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '1000');
    assert.equal(head.body.length, 0);
  });

  test('a chunked body that grows past maxBytes is cut off with 413; the old object stays, no temp file remains', async () => {
    await media.storage.put(BUCKET, 'big.png', Uint8Array.of(9));
    const url = new URL(await media.storage.presignedPutUrl(BUCKET, 'big.png', 60, { maxBytes: 5000 }));
    const chunks = Array.from({ length: 6 }, () => Buffer.alloc(1000, 1));
    const res = await raw(media.url, 'PUT', url.pathname + url.search, { chunks, headers: { 'transfer-encoding': 'chunked' } });
    assert.equal(res.status, 413);
    assert.deepEqual([...(await media.storage.get(BUCKET, 'big.png'))!], [9]);
    assert.deepEqual(filesUnder(media.root).filter((f) => f.endsWith('.tmp')), []);
  });

  test('an upload cut off by the client leaves the old object and no temp file', async () => {
    await media.storage.put(BUCKET, 'cut.png', Uint8Array.of(5));
    const url = new URL(await media.storage.presignedPutUrl(BUCKET, 'cut.png', 60, { maxBytes: 100_000 }));
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: url.port, method: 'PUT', path: url.pathname + url.search, headers: { 'content-length': '100000' } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(2000, 3), () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    await sleep(100);
    assert.deepEqual([...(await media.storage.get(BUCKET, 'cut.png'))!], [5]);
    assert.deepEqual(filesUnder(media.root).filter((f) => f.endsWith('.tmp')), []);
  });
});

test('parseByteRange', () => {
  assert.deepEqual(parseByteRange('bytes=0-0', 10), { start: 0, end: 0 });
  assert.deepEqual(parseByteRange('bytes=5-', 10), { start: 5, end: 9 });
  assert.deepEqual(parseByteRange('bytes=5-100', 10), { start: 5, end: 9 });
  assert.deepEqual(parseByteRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.deepEqual(parseByteRange('bytes=-30', 10), { start: 0, end: 9 });
  assert.equal(parseByteRange('bytes=10-', 10), 'unsatisfiable');
  assert.equal(parseByteRange('bytes=-0', 10), 'unsatisfiable');
  assert.equal(parseByteRange('bytes=0-', 0), 'unsatisfiable');
  for (const ignored of [undefined, 'bytes=5-3', 'bytes=0-1,3-4', 'items=0-1', 'bytes=-', 'bytes=a-b']) {
    assert.equal(parseByteRange(ignored, 10), undefined, String(ignored));
  }
});
