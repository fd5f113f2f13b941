/**
 * Object storage for media (MinIO in cluster mode). Keys are validated by the storage itself:
 * a key with path tricks (.., absolute paths, backslashes, control characters) is refused with
 * INVALID_DATA before anything is touched.
 */
export interface ObjectStorage {
  ensureBuckets(buckets: string[]): Promise<void>;
  put(bucket: string, key: string, data: Uint8Array): Promise<void>;
  get(bucket: string, key: string): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-@()+=,~ \u4e00-\u9fff]{0,254}$/u;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isSafeObjectKey(key: string): boolean {
  return KEY_PATTERN.test(key) && !key.includes('..');
}

export function isSafeBucketName(bucket: string): boolean {
  return BUCKET_PATTERN.test(bucket) && !bucket.includes('..');
}
