import { FscError } from '@fscpush/core';
import type { ApiStore } from '../store/index.ts';
import { appKeyId, appKeyMatches, hashAppKey, newAppKey } from './app-key-format.ts';

export interface AppKeyInfo {
  keyId: string;
  name: string;
  disabled: boolean;
  createdAt: number;
  /** 0 while enabled */
  disabledAt: number;
}

export type AppKeyCheck = { ok: true; keyId: string } | { ok: false; reason: 'unknown' | 'disabled' };

/** A hash no presented key matches: unknown key ids still pay for one comparison. */
const NO_HASH = '0'.repeat(64);

/** App keys in the store (table api_keys): created by an admin, shown once, then only verified or disabled. */
export class AppKeys {
  private readonly db: ApiStore['db'];

  constructor(db: ApiStore['db']) {
    this.db = db;
  }

  async create(name: string): Promise<AppKeyInfo & { key: string }> {
    const { keyId, key } = newAppKey();
    const createdAt = Date.now();
    await this.db.insertInto('api_keys').values({ key_id: keyId, name, secret_hash: hashAppKey(key), disabled: 0, created_at: createdAt, disabled_at: 0 }).execute();
    return { keyId, name, key, disabled: false, createdAt, disabledAt: 0 };
  }

  async list(): Promise<AppKeyInfo[]> {
    const rows = await this.db.selectFrom('api_keys').select(['key_id', 'name', 'disabled', 'created_at', 'disabled_at']).orderBy('created_at').orderBy('key_id').execute();
    return rows.map(toInfo);
  }

  /** Disabling is final: integrations get a new key. Disabling a disabled key changes nothing. */
  async disable(keyId: string): Promise<AppKeyInfo> {
    await this.db.updateTable('api_keys').set({ disabled: 1, disabled_at: Date.now() }).where('key_id', '=', keyId).where('disabled', '=', 0).execute();
    const row = await this.db.selectFrom('api_keys').select(['key_id', 'name', 'disabled', 'created_at', 'disabled_at']).where('key_id', '=', keyId).executeTakeFirst();
    if (!row) throw new FscError('NOT_EXIST', 'no such app key');
    return toInfo(row);
  }

  async verify(presented: string): Promise<AppKeyCheck> {
    const keyId = appKeyId(presented);
    const row = keyId === undefined
      ? undefined
      : await this.db.selectFrom('api_keys').select(['secret_hash', 'disabled']).where('key_id', '=', keyId).executeTakeFirst();
    const matches = appKeyMatches(presented, row?.secret_hash ?? NO_HASH);
    if (!row || !matches || keyId === undefined) return { ok: false, reason: 'unknown' };
    if (Number(row.disabled) !== 0) return { ok: false, reason: 'disabled' };
    return { ok: true, keyId };
  }
}

function toInfo(row: { key_id: string; name: string; disabled: number; created_at: unknown; disabled_at: unknown }): AppKeyInfo {
  return { keyId: row.key_id, name: row.name, disabled: Number(row.disabled) !== 0, createdAt: Number(row.created_at), disabledAt: Number(row.disabled_at) };
}
