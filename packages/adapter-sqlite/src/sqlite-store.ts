import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Kysely, sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { FscError } from '@fscpush/core';
import type { ServiceMigrations, Store } from '@fscpush/ports';
import { migrateServices } from '@fscpush/sql-kit';
import { SqliteCheckpointer } from './sqlite-checkpointer.ts';
import { FairSqliteDialect } from './fair-sqlite-dialect.ts';
import { SQLITE_DIALECT } from './sqlite-dialect.ts';

type SqlValue = null | number | bigint | string | Uint8Array;

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || value instanceof Uint8Array) return value;
  throw new TypeError(`cannot bind ${typeof value} to SQLite`);
}

/** Adapts node:sqlite (built into Node, no native build) to the statement interface Kysely's SQLite dialect drives. */
class NodeSqliteDatabase implements SqliteDatabase {
  private readonly db: DatabaseSync;
  /** prepared statements by SQL text, with whether they return rows (columns() builds arrays: ask once) */
  private readonly statements = new Map<string, { stmt: StatementSync; reader: boolean }>();

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  close(): void {
    this.db.close();
  }

  prepare(sqlText: string): SqliteStatement {
    let entry = this.statements.get(sqlText);
    if (!entry) {
      const stmt = this.db.prepare(sqlText);
      stmt.setReadBigInts(true);
      if (this.statements.size > 2000) this.statements.clear();
      entry = { stmt, reader: stmt.columns().length > 0 };
      this.statements.set(sqlText, entry);
    }
    const statement = entry.stmt;
    return {
      reader: entry.reader,
      all: (params) => statement.all(...params.map(toSqlValue)) as unknown[],
      run: (params) => statement.run(...params.map(toSqlValue)),
      iterate: (params) => statement.iterate(...params.map(toSqlValue)) as IterableIterator<unknown>,
    };
  }
}

export interface SqliteReaderOptions {
  /** page cache of the connection, MB (SQLite's default is 2) */
  cacheMb?: number;
}

export interface SqliteStoreOptions extends SqliteReaderOptions {
  /** the tables of the services that keep their data here, migrated in this order */
  migrations: readonly ServiceMigrations[];
}

/** Opens (creating if needed) the SQLite database at `file` and migrates the services' tables. */
export async function openSqliteStore<S>(file: string, options: SqliteStoreOptions): Promise<Store<S>> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new DatabaseSync(file);
  // WAL + NORMAL: a committed transaction survives a process crash or kill -9 (not power loss).
  raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = OFF;');
  // negative = KiB: a large group's message touches one inbox page per online member
  if (options.cacheMb !== undefined) raw.exec(`PRAGMA cache_size = -${Math.trunc(options.cacheMb) * 1024}`);
  const db = new Kysely<S>({ dialect: new FairSqliteDialect({ database: new NodeSqliteDatabase(raw) }) });
  const { failure } = await migrateServices(db, SQLITE_DIALECT, { dialect: 'sqlite', longText: sql`text` }, options.migrations);
  if (failure) {
    await db.destroy();
    throw new FscError('SERVER_ERROR', `database migration of ${failure.service}${failure.step === undefined ? '' : ` (${failure.step})`} failed`, { service: failure.service }, { cause: failure.error });
  }
  const checkpointer = file === ':memory:' ? undefined : new SqliteCheckpointer(raw, file);
  const reads = file === ':memory:' ? db : openSqliteReader<S>(file, options);
  return {
    db,
    reads,
    dialect: SQLITE_DIALECT,
    close: async () => {
      await checkpointer?.stop();
      if (reads !== db) await reads.destroy();
      await db.destroy();
    },
  };
}

/** A read-only second connection (WAL lets it read while the writer's transaction is open); reads are small: a quarter of the cache. */
export function openSqliteReader<S>(file: string, options: SqliteReaderOptions = {}): Kysely<S> {
  const raw = new DatabaseSync(file, { readOnly: true });
  raw.exec('PRAGMA busy_timeout = 5000;');
  if (options.cacheMb !== undefined) raw.exec(`PRAGMA cache_size = -${Math.max(2048, Math.trunc(options.cacheMb * 256))}`);
  return new Kysely<S>({ dialect: new FairSqliteDialect({ database: new NodeSqliteDatabase(raw) }) });
}
