import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Proto } from '@fscpush/protocol';
import type { TcpImClient, WsImClient } from '@fscpush/testkit';
import { TestServer, type LoggedIn } from './harness.ts';

// Upload keys in another user's namespace are refused with NO_RIGHT (248 on TCP); keys that are unsafe or
// malformed, and unknown media types, with INVALID_DATA (2). The web client sees "" for both.
const NO_RIGHT = 248;
const INVALID_DATA = 2;
const NOT_IMPLEMENTED = 254;
const IMAGE_LIMIT = 65_536;
const BUCKETS = ['general', 'image', 'voice', 'video', 'file', 'portrait', 'favorite'].map((t) => `minio-bucket-${t}-name`);

interface UploadReply {
  domain: string;
  url: string;
  server?: string;
  port?: number;
}

type Outcome = { ok: true; reply: UploadReply } | { ok: false; code: number | undefined };

/** GMURL as each client sends it: protobuf over TCP, {mediaType, key} over WebSocket. */
async function gmurl(client: TcpImClient | WsImClient, mediaType: unknown, key: unknown): Promise<Outcome> {
  if (client.transport === 'tcp') {
    const ack = await (client as TcpImClient).request('GMURL', Proto.GetMinioUploadUrlRequest.encode({ mediaType: mediaType as number, key: key as string }));
    if (ack.errorCode !== 0) return { ok: false, code: ack.errorCode };
    return { ok: true, reply: Proto.GetMinioUploadUrlResult.decode(ack.body) };
  }
  const ack = await (client as WsImClient).requestJson('GMURL', { mediaType, key });
  if (!ack.ok) return { ok: false, code: undefined };
  return { ok: true, reply: ack.json as UploadReply };
}

function uploadUrl(outcome: Outcome): UploadReply {
  assert.ok(outcome.ok, `GMURL failed: ${JSON.stringify(outcome)}`);
  return outcome.reply;
}

/** The refusal each transport can express: the PUB_ACK byte over TCP, "" over WebSocket. */
function assertRefused(outcome: Outcome, transport: 'tcp' | 'ws', code: number, what: string): void {
  assert.equal(outcome.ok, false, `${transport} ${what}: accepted`);
  if (transport === 'tcp') assert.equal(outcome.ok === false && outcome.code, code, `${transport} ${what}`);
}

async function put(url: string, body: Uint8Array, contentType?: string): Promise<number> {
  const res = await fetch(url, { method: 'PUT', body, ...(contentType && { headers: { 'content-type': contentType } }) });
  await res.arrayBuffer();
  return res.status;
}

/** An HTTP request whose path goes out byte for byte (fetch would resolve "../"). */
function rawRequest(port: number, method: string, path: string, body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every file under dir, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function imageBytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 131 + seed) % 256);
}

describe('media uploads: GMURL signed URLs and the embedded media endpoint', () => {
  let t: TestServer;
  let alice: LoggedIn;
  let bob: LoggedIn;
  let clients: { tcp: TcpImClient; ws: WsImClient };
  let mediaPort: number;
  let mediaRoot: string;

  before(async () => {
    t = await TestServer.start({ overrides: { 'media.max.bytes.image': IMAGE_LIMIT } });
    alice = await t.login('13400007001', 'alice-media-web');
    bob = await t.login('13400007002', 'bob-media');
    clients = {
      tcp: (await t.connect('tcp', await t.login('13400007001', 'alice-media-phone'))) as TcpImClient,
      ws: (await t.connect('ws', alice)) as WsImClient,
    };
    mediaPort = t.server.ports.media;
    mediaRoot = join(t.dataDir, 'media');
  });
  after(() => t.stop());

  test('the seven buckets exist from the start, named as FShareChat names them', () => {
    for (const bucket of BUCKETS) assert.ok(statSync(join(mediaRoot, bucket)).isDirectory(), bucket);
  });

  for (const transport of ['tcp', 'ws'] as const) {
    test(`${transport}: GMURL → PUT the bytes → GET domain/key returns the same bytes and type`, async () => {
      const client = clients[transport];
      const key = transport === 'tcp' ? `1-${alice.userId}-${Date.now()}.png` : `1-${alice.userId}-${Date.now()}-holiday photo (1).png`;
      const reply = uploadUrl(await gmurl(client, 1, key));
      assert.equal(reply.domain, `http://127.0.0.1:${mediaPort}/minio-bucket-image-name`);
      assert.ok(reply.url.startsWith(`${reply.domain}/`), reply.url);
      if (transport === 'tcp') {
        assert.equal(reply.server, '127.0.0.1');
        assert.equal(reply.port, mediaPort);
      } else {
        assert.deepEqual(Object.keys(reply).sort(), ['domain', 'url']);
      }

      const data = imageBytes(IMAGE_LIMIT, transport === 'tcp' ? 1 : 2);
      // Android sends application/binary; the web client the File's type.
      assert.equal(await put(reply.url, data, transport === 'tcp' ? 'application/binary' : 'image/png'), 200);
      const remoteMediaUrl = `${reply.domain}/${key}`;
      const got = await fetch(remoteMediaUrl);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'image/png');
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(new Uint8Array(await got.arrayBuffer()), data);
      assert.deepEqual(new Uint8Array(readFileSync(join(mediaRoot, 'minio-bucket-image-name', key))), data, 'stored under <data dir>/media/<bucket>/<key>');
    });

    test(`${transport}: each media type has its bucket; other media types are INVALID_DATA`, async () => {
      const client = clients[transport];
      for (const [mediaType, bucket] of BUCKETS.entries()) {
        const reply = uploadUrl(await gmurl(client, mediaType, `${mediaType}-${alice.userId}-${Date.now()}-f.bin`));
        assert.equal(reply.domain, `http://127.0.0.1:${mediaPort}/${bucket}`);
      }
      for (const mediaType of [7, 100, -1]) {
        assertRefused(await gmurl(client, mediaType, `${mediaType}-${alice.userId}-${Date.now()}-f.bin`), transport, INVALID_DATA, `mediaType ${mediaType}`);
      }
      if (transport === 'ws') {
        for (const content of [{ mediaType: 'image', key: 'x' }, { mediaType: 1 }, { key: `1-${alice.userId}-1700000000000.png` }]) {
          assert.equal((await clients.ws.requestJson('GMURL', content)).ok, false, JSON.stringify(content));
        }
      }
    });

    test(`${transport}: a key outside the user's own namespace is NO_RIGHT; a malformed one INVALID_DATA`, async () => {
      const client = clients[transport];
      const ms = Date.now();
      for (const key of [`1-${bob.userId}-${ms}.png`, `3-${alice.userId}-${ms}.png`, `x-${alice.userId}-${ms}.png`, `1-${ms}.png`, `1-${alice.userId}${ms}.png`]) {
        assertRefused(await gmurl(client, 1, key), transport, NO_RIGHT, key);
      }
      for (const key of [`1-${alice.userId}-x-${ms}.png`, `1-${alice.userId}-${ms}0.png`, `1-${alice.userId}-`, `1-${alice.userId}-123.png`]) {
        assertRefused(await gmurl(client, 1, key), transport, INVALID_DATA, key);
      }
      assert.equal(existsSync(join(mediaRoot, 'minio-bucket-image-name', `1-${bob.userId}-${ms}.png`)), false);
    });

    test(`${transport}: traversal and other unsafe keys are refused at GMURL`, async () => {
      const client = clients[transport];
      const own = `1-${alice.userId}-${Date.now()}`;
      const keys = [`${own}-../../escape.png`, `${own}-..%2F..%2Fescape.png`, `${own}-%2e%2e`, `../${own}.png`, `/${own}.png`, `${own}-a\\b.png`, `${own}-a/b.png`, `${own}-x\u0000.png`, `${own}-${'a'.repeat(250)}.png`, `${own}-${'文'.repeat(80)}.png`];
      for (const key of keys) assertRefused(await gmurl(client, 1, key), transport, INVALID_DATA, JSON.stringify(key));
    });
  }

  test('the endpoint refuses changed signatures, keys and buckets, and writes nothing', async () => {
    const key = `1-${alice.userId}-${Date.now()}.png`;
    const { url } = uploadUrl(await gmurl(clients.ws, 1, key));
    const signed = new URL(url);
    const tampered = new URL(url);
    const signature = [...tampered.searchParams.keys()].find((k) => /signature/i.test(k))!;
    tampered.searchParams.set(signature, tampered.searchParams.get(signature)!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
    const otherKey = `1-${alice.userId}-${Date.now() + 1}.png`;
    const attempts = {
      tampered: tampered.href,
      'other key': url.replace(encodeURIComponent(key), otherKey),
      'other bucket': url.replace('/minio-bucket-image-name/', '/minio-bucket-video-name/'),
      'no signature': `${signed.origin}${signed.pathname}`,
    };
    for (const [what, attempt] of Object.entries(attempts)) {
      assert.notEqual(attempt, url, what);
      const status = await put(attempt, imageBytes(10, 3));
      assert.ok(status === 403 || status === 400, `${what}: status ${status}`);
    }
    for (const bucket of ['minio-bucket-image-name', 'minio-bucket-video-name']) {
      for (const k of [key, otherKey]) assert.equal(existsSync(join(mediaRoot, bucket, k)), false, `${bucket}/${k}`);
    }
  });

  test('path tricks at the HTTP endpoint are refused and nothing lands outside the media root', async () => {
    const before = filesUnder(t.dataDir).filter((f) => !f.startsWith('fscpush.sqlite'));
    const { url } = uploadUrl(await gmurl(clients.ws, 1, `1-${alice.userId}-${Date.now()}.png`));
    const query = new URL(url).search;
    const marker = `escape-${Date.now()}.png`;
    const paths = [
      `/minio-bucket-image-name/../${marker}`,
      `/minio-bucket-image-name/../../${marker}`,
      `/minio-bucket-image-name/..%2F..%2F${marker}`,
      `/minio-bucket-image-name/%2e%2e%2f%2e%2e%2f${marker}`,
      `/%2e%2e/${marker}`,
      `/minio-bucket-image-name/..%5C${marker}`,
      `/minio-bucket-image-name/%2F${marker}`,
      `/minio-bucket-image-name/${marker}%00`,
      `//${marker}`,
    ];
    for (const path of paths) {
      for (const method of ['PUT', 'GET']) {
        const status = await rawRequest(mediaPort, method, method === 'PUT' ? path + query : path, method === 'PUT' ? Buffer.from('pwned') : undefined);
        assert.ok(status >= 400 && status < 500, `${method} ${path}: status ${status}`);
      }
    }
    const after = filesUnder(t.dataDir).filter((f) => !f.startsWith('fscpush.sqlite'));
    assert.deepEqual(after, before, 'no file appeared anywhere in the data dir');
    assert.equal(existsSync(join(dirname(t.dataDir), marker)), false);
  });

  test('an upload over the media type\'s limit is refused with 413 and not stored', async () => {
    const key = `1-${alice.userId}-${Date.now()}.png`;
    const { url } = uploadUrl(await gmurl(clients.tcp, 1, key));
    assert.equal(await put(url, imageBytes(IMAGE_LIMIT + 1, 4)), 413);
    assert.equal(existsSync(join(mediaRoot, 'minio-bucket-image-name', key)), false);
    const video = uploadUrl(await gmurl(clients.tcp, 3, `3-${alice.userId}-${Date.now()}.mp4`));
    assert.equal(await put(video.url, imageBytes(IMAGE_LIMIT + 1, 4)), 200, 'video has its own, larger limit');
  });

  test('CORS: the upload URL answers the browser\'s preflight; media GETs allow any origin', async () => {
    const key = `1-${alice.userId}-${Date.now()}.png`;
    const { url, domain } = uploadUrl(await gmurl(clients.ws, 1, key));
    const origin = 'https://chat.example.com';
    const pre = await fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' } });
    await pre.arrayBuffer();
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /\bPUT\b/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /content-type/);
    assert.equal(await put(url, imageBytes(5, 5), 'image/png'), 200);
    const got = await fetch(`${domain}/${key}`, { headers: { origin } });
    await got.arrayBuffer();
    assert.equal(got.headers.get('access-control-allow-origin'), '*');
  });

  test('GQNUT (Qiniu token) is not implemented: 254 over TCP, "" over WebSocket, and the log says why', async () => {
    const tcp = await clients.tcp.request('GQNUT', new Uint8Array(0));
    assert.equal(tcp.errorCode, NOT_IMPLEMENTED);
    const ws = await clients.ws.request('GQNUT', { mediaType: 1 });
    assert.equal(ws.content, '');
    assert.ok((await t.logLines((l) => /Qiniu uploads are not supported/.test(String(l['msg'])))).length >= 1, 'a log line names Qiniu');
  });
});

describe('media uploads: expiry', () => {
  let t: TestServer;
  let alice: LoggedIn;

  before(async () => {
    t = await TestServer.start({ overrides: { 'media.upload.expiry.seconds': 1 } });
    alice = await t.login('13400007011', 'alice-expiry');
  });
  after(() => t.stop());

  test('an upload URL past media.upload.expiry.seconds is refused and writes nothing', async () => {
    const ws = (await t.connect('ws', alice)) as WsImClient;
    const key = `1-${alice.userId}-${Date.now()}.png`;
    const { url } = uploadUrl(await gmurl(ws, 1, key));
    await sleep(2200);
    assert.equal(await put(url, imageBytes(10, 6)), 403);
    assert.equal(existsSync(join(t.dataDir, 'media', 'minio-bucket-image-name', key)), false);
  });
});
