import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { FscError } from '@fscpush/core';
import { isSafeBucketName, isSafeObjectKey, type ObjectStorage } from './index.ts';

const MAX_FILE_NAME_BYTES = 255;

/** Embedded storage: one directory per bucket under `root`; writes go to a temp file then rename. */
export class LocalFileStorage implements ObjectStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  async ensureBuckets(buckets: string[]): Promise<void> {
    for (const bucket of buckets) await mkdir(this.bucketDir(bucket), { recursive: true });
  }

  async put(bucket: string, key: string, data: Uint8Array): Promise<void> {
    const path = this.pathOf(bucket, key);
    // Not derived from the key: key + suffix could exceed the file-name limit. A leading dot never collides with a valid key.
    const tmp = join(dirname(path), `.${randomUUID()}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  async get(bucket: string, key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(bucket, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async close(): Promise<void> {}

  private bucketDir(bucket: string): string {
    if (!isSafeBucketName(bucket)) throw new FscError('INVALID_DATA', `invalid bucket name ${JSON.stringify(bucket)}`);
    return join(this.root, bucket);
  }

  private pathOf(bucket: string, key: string): string {
    // A file name holds at most 255 bytes; a key of 255 CJK characters is 765.
    if (!isSafeObjectKey(key) || Buffer.byteLength(key) > MAX_FILE_NAME_BYTES) {
      throw new FscError('INVALID_DATA', `invalid object key ${JSON.stringify(key)}`);
    }
    return join(this.bucketDir(bucket), key);
  }
}
