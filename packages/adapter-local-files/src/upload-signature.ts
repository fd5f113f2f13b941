import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed upload URL allows: one PUT of one object, bounded in time and size. */
export interface UploadGrant {
  bucket: string;
  key: string;
  /** unix seconds after which the URL is refused */
  expiresAt: number;
  maxBytes: number;
}

export type GrantCheck = { ok: true; grant: UploadGrant } | { ok: false; reason: 'unsigned' | 'bad-signature' | 'expired' };

const EXPIRES = 'X-Fsc-Expires';
const MAX_BYTES = 'X-Fsc-Max-Bytes';
const SIGNATURE = 'X-Fsc-Signature';
const MIN_KEY_BYTES = 32;

/**
 * HMAC-SHA256 over the method, bucket, key, expiry and size limit, keyed by a per-install secret. The
 * signature travels in the query string; the bucket and key are the URL path, so changing any of them
 * (or the expiry or limit) breaks the signature.
 */
export class UploadSigner {
  private readonly secret: Uint8Array;

  constructor(secret: Uint8Array) {
    if (secret.byteLength < MIN_KEY_BYTES) throw new RangeError(`the upload signing secret needs at least ${MIN_KEY_BYTES} bytes`);
    this.secret = Uint8Array.from(secret);
  }

  /** The query string (without "?") that makes the object's path an upload URL. */
  queryFor(grant: UploadGrant): string {
    const query = new URLSearchParams({
      [EXPIRES]: String(grant.expiresAt),
      [MAX_BYTES]: String(grant.maxBytes),
      [SIGNATURE]: this.mac(grant).toString('base64url'),
    });
    return query.toString();
  }

  /** Checks a PUT for `bucket`/`key` (already decoded from the path) against its query parameters. */
  check(bucket: string, key: string, query: URLSearchParams, nowMs = Date.now()): GrantCheck {
    const expires = query.get(EXPIRES);
    const maxBytes = query.get(MAX_BYTES);
    const signature = query.get(SIGNATURE);
    if (expires === null || maxBytes === null || signature === null) return { ok: false, reason: 'unsigned' };
    if (!/^\d{1,12}$/.test(expires) || !/^\d{1,15}$/.test(maxBytes)) return { ok: false, reason: 'bad-signature' };
    const grant: UploadGrant = { bucket, key, expiresAt: Number(expires), maxBytes: Number(maxBytes) };
    // Compared as text: base64 decoding ignores stray characters, and a URL has one valid spelling.
    const given = Buffer.from(signature);
    const expected = Buffer.from(this.mac(grant).toString('base64url'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
    if (nowMs / 1000 > grant.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  }

  private mac(grant: UploadGrant): Buffer {
    const fields = JSON.stringify(['PUT', grant.bucket, grant.key, grant.expiresAt, grant.maxBytes]);
    return createHmac('sha256', this.secret).update(fields).digest();
  }
}
