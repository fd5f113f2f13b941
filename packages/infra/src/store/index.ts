import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export type { Schema } from './schema.ts';
export type * from './schema.ts';

export type StoreDialect = 'sqlite' | 'mysql';

/**
 * The relational store: a Kysely handle over the shared schema, migrated at open. Writes that must agree
 * go in one `db.transaction()`. SQLite (embedded) serialises all access on one connection; MySQL pools.
 */
export interface Store {
  readonly db: Kysely<Schema>;
  /**
   * For reads outside any transaction that answer clients (profiles, friend lists, group info): they see
   * what is committed. On SQLite a connection of its own, so they do not wait for a write transaction
   * (a large group's message holds the writer's connection for tens of ms); on MySQL the same pool.
   */
  readonly reads: Kysely<Schema>;
  readonly dialect: StoreDialect;
  close(): Promise<void>;
}
