import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@fscpush/core';
import { isSafeBucketName, isStorableObjectKey } from '@fscpush/ports';
import { contentTypeOf } from '@fscpush/ports';
import { ObjectTooLargeError, type LocalFileStorage } from './local-file-storage.ts';
import { parseByteRange } from './byte-range.ts';

/**
 * The embedded media endpoint, FShareChat's public MinIO buckets in miniature:
 *   GET/HEAD /<bucket>/<key>   anyone; type from the extension, nosniff, single byte ranges, no listings
 *   PUT /<bucket>/<key>?…      only with a URL from LocalFileStorage.presignedPutUrl, within its limits
 *   OPTIONS                    CORS preflight (the web client PUTs cross-origin with fetch)
 * Paths are decoded once and must name a safe bucket and key; anything else is refused before the disk is touched.
 */
export function createLocalMediaListener(storage: LocalFileStorage, log?: Logger): RequestListener {
  return (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      preflight(req, res);
      return;
    }
    const target = parseTarget(req.url ?? '');
    if (target === 'not-found') return reply(res, 404, 'not found');
    if (target === 'invalid') return reply(res, 400, 'invalid bucket or key');
    const handle = req.method === 'GET' || req.method === 'HEAD' ? serve : req.method === 'PUT' ? upload : undefined;
    if (!handle) {
      res.setHeader('Allow', 'GET, HEAD, PUT, OPTIONS');
      return reply(res, 405, 'method not allowed');
    }
    handle(storage, target, req, res).catch((err: unknown) => {
      log?.error({ err, method: req.method, bucket: target.bucket, key: target.key }, 'media request failed');
      if (!res.headersSent) reply(res, 500, 'server error');
      else res.destroy();
    });
  };
}

interface Target {
  bucket: string;
  key: string;
  query: URLSearchParams;
}

function parseTarget(rawUrl: string): Target | 'not-found' | 'invalid' {
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const segments = rawPath.split('/');
  if (segments.length !== 3 || segments[0] !== '') return rawPath.includes('..') || rawPath.includes('\\') ? 'invalid' : 'not-found';
  let bucket: string;
  let key: string;
  try {
    bucket = decodeURIComponent(segments[1]!);
    key = decodeURIComponent(segments[2]!);
  } catch {
    return 'invalid';
  }
  if (key === '') return 'not-found';
  if (!isSafeBucketName(bucket) || !isStorableObjectKey(key)) return 'invalid';
  return { bucket, key, query: new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1)) };
}

async function serve(storage: LocalFileStorage, { bucket, key }: Target, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = storage.objectPath(bucket, key);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return reply(res, 404, 'not found');
  res.setHeader('Content-Type', contentTypeOf(key));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Should a browser open an object as a page anyway, it runs nothing.
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Last-Modified', info.mtime.toUTCString());
  const range = parseByteRange(req.headers.range, info.size);
  if (range === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${info.size}`);
    return reply(res, 416, 'range not satisfiable');
  }
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  res.statusCode = range ? 206 : 200;
  if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${info.size}`);
  res.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return;
  }
  await pipeline(createReadStream(path, { start, end }), res).catch(() => res.destroy());
}

async function upload(storage: LocalFileStorage, { bucket, key, query }: Target, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const check = storage.checkUpload(bucket, key, query);
  if (!check.ok) return refuse(res, 403, check.reason === 'expired' ? 'upload URL expired' : 'upload URL not valid for this object');
  if (!(await storage.hasBucket(bucket))) return refuse(res, 404, 'no such bucket');
  const { maxBytes } = check.grant;
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return refuse(res, 413, `larger than ${maxBytes} bytes`);
  try {
    // Not `req` itself: a failed pipeline would destroy it, and with it the socket the 413 must go out on.
    await storage.writeFrom(bucket, key, req.iterator({ destroyOnReturn: false }), maxBytes);
  } catch (err) {
    if (err instanceof ObjectTooLargeError) return refuse(res, 413, `larger than ${maxBytes} bytes`);
    if (req.destroyed || (err as NodeJS.ErrnoException).code === 'ECONNRESET') return;
    throw err;
  }
  reply(res, 200, '');
}

function preflight(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, OPTIONS');
  const asked = req.headers['access-control-request-headers'];
  res.setHeader('Access-Control-Allow-Headers', asked !== undefined && /^[\w-]+(\s*,\s*[\w-]+)*$/.test(asked) ? asked : 'content-type');
  // Chrome's Private Network Access: a page on a public origin uploading to a LAN/loopback address.
  if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
  res.setHeader('Access-Control-Max-Age', '86400');
  res.writeHead(204).end();
}

/** Answers without reading the body: the connection closes instead of draining what the client still sends. */
function refuse(res: ServerResponse, status: number, text: string): void {
  res.setHeader('Connection', 'close');
  reply(res, status, text);
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(text);
}
