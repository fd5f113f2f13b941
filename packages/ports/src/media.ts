/**
 * Object storage for media: LocalFileStorage (embedded, with its own HTTP endpoint) or MinioStorage (cluster).
 *
 * Guarantees every implementation keeps (packages/ports/src/contracts/media-contract.ts checks them):
 * - Keys and bucket names are validated by the storage itself: an unsafe one (isSafeObjectKey,
 *   MAX_OBJECT_KEY_BYTES, isSafeBucketName) is refused with INVALID_DATA before anything is touched,
 *   by every method, including the URL builders.
 * - Objects are public-read: GET `${publicBaseUrl(bucket)}/${key}` returns the bytes without credentials,
 *   with CORS allowed from any origin. This is FShareChat's model (unguessable keys, public buckets).
 *   The Content-Type is the one the key's extension names (LocalFileStorage, which also refuses to serve
 *   scriptable types) or the one the upload sent (MinIO; Android sends application/binary).
 * - Writes are atomic per object: a reader sees the old bytes or the new bytes, never a mix.
 * - A presigned PUT URL allows exactly one method (PUT) on exactly one bucket and key, until it expires;
 *   a changed bucket, key, signature or expiry is refused with a 4xx and writes nothing.
 */
export interface ObjectStorage {
  /** creates the buckets that do not exist yet, readable by anyone; idempotent */
  ensureBuckets(buckets: string[]): Promise<void>;
  /** writes (or overwrites) one object */
  put(bucket: string, key: string, data: Uint8Array): Promise<void>;
  /** the object's bytes, or undefined when it does not exist */
  get(bucket: string, key: string): Promise<Uint8Array | undefined>;
  /**
   * A URL with which anyone may `PUT` the bytes of `bucket`/`key` (overwriting it) for `expirySeconds`.
   * `limits.maxBytes` is enforced where the implementation can: LocalFileStorage refuses a larger body
   * with 413; an S3 presigned PUT cannot carry a size limit, so MinIO is bounded only by the proxy in
   * front of it (FShareChat's nginx used 500 MB).
   */
  presignedPutUrl(bucket: string, key: string, expirySeconds: number, limits: UploadLimits): Promise<string>;
  /** The URL prefix of a bucket's objects, without a trailing slash: the `domain` FShareChat clients prepend to keys. */
  publicBaseUrl(bucket: string): string;
  close(): Promise<void>;
}

export interface UploadLimits {
  /** largest body accepted, in bytes */
  maxBytes: number;
}

/** A key is also a file name in the embedded store, and file names hold at most 255 bytes. */
export const MAX_OBJECT_KEY_BYTES = 255;

/** Presigned URLs live at most this long (S3's limit). */
export const MAX_PRESIGN_EXPIRY_SECONDS = 7 * 24 * 3600;

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-@()+=,~ \u4e00-\u9fff]{0,254}$/u;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isSafeObjectKey(key: string): boolean {
  return KEY_PATTERN.test(key) && !key.includes('..');
}

export function isSafeBucketName(bucket: string): boolean {
  return BUCKET_PATTERN.test(bucket) && !bucket.includes('..');
}

/** isSafeObjectKey and short enough to be a file name. */
export function isStorableObjectKey(key: string): boolean {
  return isSafeObjectKey(key) && Buffer.byteLength(key) <= MAX_OBJECT_KEY_BYTES;
}
