import type { InsertQueryBuilder, Kysely, RawBuilder, SelectQueryBuilder } from 'kysely';

export type StoreDialect = 'sqlite' | 'mysql';

/**
 * What business SQL needs to know about the engine, so that no store code names a dialect or a driver's
 * error code: how to lock rows, to insert-or-skip and insert-or-update, and which errors are conflicts.
 */
export interface SqlDialect {
  readonly name: StoreDialect;
  /**
   * The database is a file in this process (embedded SQLite): this process is its only writer, statements
   * are cheap, and a write transaction holds the whole database, so rows need no locks of their own.
   */
  readonly embedded: boolean;
  /** The rows this read returns stay locked until the transaction ends (exclusively, or shared); nothing where the transaction holds the database. */
  lockRows<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, mode?: 'update' | 'share'): SelectQueryBuilder<DB, TB, O>;
  /** Rows whose key (`key` columns) exists already are skipped. */
  insertIgnore<DB, TB extends keyof DB, O>(insert: InsertQueryBuilder<DB, TB, O>, key: readonly string[]): InsertQueryBuilder<DB, TB, O>;
  /** On a duplicate key the existing row gets `changes` (plain values). */
  upsert<DB, TB extends keyof DB, O>(insert: InsertQueryBuilder<DB, TB, O>, key: readonly string[], changes: Readonly<Record<string, unknown>>): InsertQueryBuilder<DB, TB, O>;
  /** On a duplicate key the existing row takes the inserted row's `columns`. */
  upsertTakingNew<DB, TB extends keyof DB, O>(insert: InsertQueryBuilder<DB, TB, O>, key: readonly string[], columns: readonly string[]): InsertQueryBuilder<DB, TB, O>;
  /**
   * On a duplicate key `column` of `table` becomes the larger of the stored and the inserted value; the
   * `alongside` columns take the inserted values only when it rises.
   */
  upsertRaising<DB, TB extends keyof DB, O>(insert: InsertQueryBuilder<DB, TB, O>, table: string, key: readonly string[], column: string, alongside: readonly string[]): InsertQueryBuilder<DB, TB, O>;
  /** A deadlock, a lock wait that timed out, or a duplicate key between concurrent writers: the work may be redone. */
  isTransientConflict(err: unknown): boolean;
  /** A duplicate primary or unique key. */
  isDuplicate(err: unknown): boolean;
}

/** Column types a migration may need whose spelling differs between engines. */
export interface MigrationContext {
  readonly dialect: StoreDialect;
  /** up to 16 MB of text (MySQL mediumtext; SQLite text) */
  readonly longText: RawBuilder<unknown>;
}

/** One schema change of a service's tables; released steps are never edited, the next one is added. */
export interface MigrationStep {
  up(db: Kysely<any>, ctx: MigrationContext): Promise<void>;
}

/**
 * The tables one service owns: its steps by name, applied in name order. Each service keeps its own record
 * of what ran (`table`), so services sharing one database migrate independently of each other.
 */
export interface ServiceMigrations {
  readonly service: string;
  readonly table: string;
  readonly steps: Readonly<Record<string, MigrationStep>>;
}

/**
 * The relational store of one service: a Kysely handle over the tables its migrations made, migrated at
 * open. Writes that must agree go in one `db.transaction()`. SQLite (embedded) serialises all access on one
 * connection; MySQL pools.
 */
// `any`: a store of whatever tables its services made (probes and wrappers need no schema)
export interface Store<S = any> {
  readonly db: Kysely<S>;
  /**
   * For reads outside any transaction that answer clients (profiles, friend lists, group info): they see
   * what is committed. On SQLite a connection of its own, so they do not wait for a write transaction
   * (a large group's message holds the writer's connection for tens of ms); on MySQL the same pool.
   */
  readonly reads: Kysely<S>;
  readonly dialect: SqlDialect;
  close(): Promise<void>;
}
