import type { ColumnType } from 'kysely';

type Int64 = ColumnType<string | number | bigint, string | number | bigint, string | number | bigint>;

/** push-api app keys: only the SHA-256 of each key is stored */
export interface ApiKeyTable {
  key_id: string;
  name: string;
  /** hex SHA-256 of the whole key */
  secret_hash: string;
  disabled: number;
  created_at: Int64;
  /** 0 while enabled */
  disabled_at: Int64;
}

export interface ApiSettingTable {
  k: string;
  v: string;
}

export interface ApiSchema {
  api_keys: ApiKeyTable;
  api_settings: ApiSettingTable;
}
