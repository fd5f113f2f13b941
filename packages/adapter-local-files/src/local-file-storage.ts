import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FscError } from '@fscpush/core';
import { isSafeBucketName, isStorableObjectKey, type ObjectStorage, type UploadLimits } from '@fscpush/ports';
import { checkUploadTerms } from '@fscpush/ports';
import { UploadSigner, type GrantCheck } from './upload-signature.ts';

export interface LocalFileStorageOptions {
  /** where local-media-listener.ts is reachable by clients, e.g. http://127.0.0.1:8082 */
  publicUrl: string;
  /** per-install secret for upload URLs (at least 32 bytes) */
  signingSecret: Uint8Array;
}

/**
 * Embedded storage: one directory per bucket under `root`, files named by their key; writes go to a
 * temp file then rename. Objects are served and uploaded over HTTP by local-media-listener.ts.
 */
export class LocalFileStorage implements ObjectStorage {
  private readonly root: string;
  private readonly publicUrl: string;
  private readonly signer: UploadSigner;

  constructor(root: string, options: LocalFileStorageOptions) {
    this.root = root;
    this.publicUrl = new URL(options.publicUrl).href.replace(/\/+$/, '');
    this.signer = new UploadSigner(options.signingSecret);
  }

  async ensureBuckets(buckets: string[]): Promise<void> {
    for (const bucket of buckets) await mkdir(this.bucketDir(bucket), { recursive: true });
  }

  async put(bucket: string, key: string, data: Uint8Array): Promise<void> {
    const path = this.objectPath(bucket, key);
    const tmp = tempPathFor(path);
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  async get(bucket: string, key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.objectPath(bucket, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async presignedPutUrl(bucket: string, key: string, expirySeconds: number, limits: UploadLimits): Promise<string> {
    this.objectPath(bucket, key);
    checkUploadTerms(expirySeconds, limits);
    const query = this.signer.queryFor({ bucket, key, expiresAt: Math.ceil(Date.now() / 1000) + expirySeconds, maxBytes: limits.maxBytes });
    return `${this.publicBaseUrl(bucket)}/${encodeURIComponent(key)}?${query}`;
  }

  publicBaseUrl(bucket: string): string {
    this.bucketDir(bucket);
    return `${this.publicUrl}/${bucket}`;
  }

  async close(): Promise<void> {}

  /** The file of an object; INVALID_DATA for an unsafe bucket or key, so the result is always inside root. */
  objectPath(bucket: string, key: string): string {
    if (!isStorableObjectKey(key)) throw new FscError('INVALID_DATA', `invalid object key ${JSON.stringify(key)}`);
    return join(this.bucketDir(bucket), key);
  }

  async hasBucket(bucket: string): Promise<boolean> {
    try {
      return (await stat(this.bucketDir(bucket))).isDirectory();
    } catch {
      return false;
    }
  }

  /** Checks the query string of an upload URL for `bucket`/`key`. */
  checkUpload(bucket: string, key: string, query: URLSearchParams): GrantCheck {
    return this.signer.check(bucket, key, query);
  }

  /**
   * Streams an upload into place. More than `maxBytes` fails with ObjectTooLargeError; on any failure
   * (including an aborted source) nothing is left behind and an existing object is unchanged.
   */
  async writeFrom(bucket: string, key: string, source: Readable | AsyncIterable<Uint8Array>, maxBytes: number): Promise<void> {
    const path = this.objectPath(bucket, key);
    const tmp = tempPathFor(path);
    try {
      await pipeline(source, byteLimit(maxBytes), createWriteStream(tmp, { flags: 'wx' }));
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
  }

  private bucketDir(bucket: string): string {
    if (!isSafeBucketName(bucket)) throw new FscError('INVALID_DATA', `invalid bucket name ${JSON.stringify(bucket)}`);
    return join(this.root, bucket);
  }
}

export class ObjectTooLargeError extends Error {
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`object larger than ${maxBytes} bytes`);
    this.name = 'ObjectTooLargeError';
    this.maxBytes = maxBytes;
  }
}

function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > maxBytes ? new ObjectTooLargeError(maxBytes) : null, chunk);
    },
  });
}

/** Not derived from the key: key + suffix could exceed the file-name limit. A leading dot never collides with a valid key. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${randomUUID()}.tmp`);
}
