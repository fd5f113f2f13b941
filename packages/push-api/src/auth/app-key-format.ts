import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * App keys look like `fsk_<key id: 16 hex>_<secret: 43 base64url>`. The key id is public (it names the key in
 * lists and logs); the store keeps only the SHA-256 of the whole key. 256 random bits need no slow hash.
 */
const KEY_PATTERN = /^fsk_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

export function newAppKey(): { keyId: string; key: string } {
  const keyId = randomBytes(8).toString('hex');
  return { keyId, key: `fsk_${keyId}_${randomBytes(32).toString('base64url')}` };
}

/** The key id of a well-formed key, else undefined. */
export function appKeyId(presented: string): string | undefined {
  return KEY_PATTERN.exec(presented)?.[1];
}

export function hashAppKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Constant-time comparison of a presented key with a stored hash. */
export function appKeyMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashAppKey(presented), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
