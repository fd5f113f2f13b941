import { randomBytes } from 'node:crypto';

/** A new user's display name when none is given: 用户 and six random letters or digits (never the mobile). */
export function defaultDisplayName(): string {
  return `用户${randomBytes(6).toString('base64url').slice(0, 6).replace(/[-_]/g, '0')}`;
}
