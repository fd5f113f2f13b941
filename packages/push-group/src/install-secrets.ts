import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from './store/index.ts';

/**
 * A per-install random secret, created on first start and kept in the store, so every push-group of one
 * install shares it and nothing secret is compiled in. Concurrent first starts agree: the first insert wins.
 */
export async function installSecret(db: Kysely<Schema>, name: string, bytes: number): Promise<Buffer> {
  const key = `secret.${name}`;
  const existing = await db.selectFrom('kv').select('v').where('k', '=', key).executeTakeFirst();
  if (existing) return Buffer.from(existing.v, 'base64');
  try {
    await db.insertInto('kv').values({ k: key, v: randomBytes(bytes).toString('base64') }).execute();
  } catch {
    // another instance created it first
  }
  const row = await db.selectFrom('kv').select('v').where('k', '=', key).executeTakeFirstOrThrow();
  return Buffer.from(row.v, 'base64');
}
