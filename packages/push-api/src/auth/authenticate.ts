import { createHash, timingSafeEqual } from 'node:crypto';
import { FscError } from '@fscpush/core';
import type { Request } from 'express';
import type { Principal } from '../routes/route.ts';
import type { AppKeys } from './app-keys.ts';

/** The admin secret counts as one key for rate limits and logs. */
export const ADMIN_KEY_ID = 'admin';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The credential a request presents: `Authorization: Bearer <secret or app key>`, or `x-admin-secret`. */
function presented(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header !== undefined) return /^Bearer (.+)$/.exec(header)?.[1]?.trim();
  return req.get('x-admin-secret');
}

/**
 * Resolves the caller: the admin secret (compared in constant time as SHA-256 digests, so lengths don't leak)
 * or an enabled app key. Throws UNAUTHENTICATED otherwise.
 */
export class Authenticator {
  private readonly adminDigest: Buffer;
  private readonly appKeys: AppKeys;

  constructor(adminSecret: string, appKeys: AppKeys) {
    this.adminDigest = digest(adminSecret);
    this.appKeys = appKeys;
  }

  async principal(req: Request): Promise<Principal> {
    const credential = presented(req);
    if (credential === undefined || credential === '') {
      throw new FscError('UNAUTHENTICATED', 'credentials required: Authorization: Bearer <admin secret or app key>');
    }
    if (timingSafeEqual(digest(credential), this.adminDigest)) return { keyId: ADMIN_KEY_ID, admin: true };
    const check = await this.appKeys.verify(credential);
    if (check.ok) return { keyId: check.keyId, admin: false };
    throw new FscError('UNAUTHENTICATED', check.reason === 'disabled' ? 'this app key is disabled' : 'unknown admin secret or app key');
  }
}
