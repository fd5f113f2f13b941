import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@fscpush/core';
import type { ApiStore } from '../store/index.ts';

const KEY = 'secret.admin';

/**
 * The admin secret when `im.admin_secret` is empty: one per install, the same for every push-api instance
 * (kept in push-api's table), mirrored to <data dir>/admin-secret (readable by the server's user only) for
 * the operator. A secret an older build generated into that file is taken over.
 */
export async function installAdminSecret(store: ApiStore, dataDir: string, log: Logger): Promise<string> {
  const file = join(dataDir, 'admin-secret');
  const stored = async () => (await store.db.selectFrom('api_settings').select('v').where('k', '=', KEY).executeTakeFirst())?.v;
  let secret = await stored();
  if (secret === undefined) {
    const fromFile = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    const proposed = fromFile !== '' ? fromFile : randomBytes(24).toString('base64url');
    // instances starting together: the first insert wins, every one reads it back
    await store.dialect.insertIgnore(store.db.insertInto('api_settings').values({ k: KEY, v: proposed }), ['k']).execute();
    secret = (await stored()) ?? proposed;
    if (fromFile === '') log.warn({ file }, 'im.admin_secret not set: generated one for the admin API');
  }
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
