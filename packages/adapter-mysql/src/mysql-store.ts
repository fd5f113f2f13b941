import { createConnection, createPool, type Connection } from 'mysql2';
import { CompiledQuery, Kysely, MysqlDialect, sql } from 'kysely';
import { FscError } from '@fscpush/core';
import { boundedPool } from './bounded-pool.ts';
import { SESSION_SETUP_SQL, TABLE_CHARSET, TABLE_COLLATION, mysql2Options, translateConnectionError } from './mysql-connection.ts';
import { migrateMysql } from './mysql-migrations.ts';
import { resolveMysqlStoreOptions, type MysqlStoreOptions, type ResolvedMysqlStoreOptions } from './mysql-store-options.ts';
import type { ServiceMigrations, Store } from '@fscpush/ports';
import { MYSQL_DIALECT } from './mysql-dialect.ts';

export type { MysqlStoreOptions } from './mysql-store-options.ts';
export { parseJdbcUrl, parseMysqlUrl, type MysqlLocation } from './jdbc-url.ts';

/**
 * Opens the MySQL/MariaDB store (MySQL >= 5.7.7 or MariaDB >= 10.2.2: InnoDB's 3072-byte index keys):
 * creates the database when missing (utf8mb4, utf8mb4_bin), runs the services' migrations (safe when several
 * processes open at once), then serves a bounded pool of `poolSize` connections. Every connection talks
 * utf8mb4 in UTC and reads BIGINT as strings (mysql-connection.ts).
 *
 * Fails with CONFIG_INVALID (bad options, login refused), STORE_UNAVAILABLE (server unreachable,
 * migration lock held too long) or SERVER_ERROR (a migration failed).
 */
export async function openMysqlStore<S>(options: MysqlStoreOptions, migrations: readonly ServiceMigrations[]): Promise<Store<S>> {
  const resolved = resolveMysqlStoreOptions(options);
  const log = resolved.log?.child({ component: 'store' });
  if (resolved.createDatabase) await ensureDatabase(resolved);
  const applied = await migrateMysql(resolved, migrations);
  if (applied.length > 0) log?.info({ database: resolved.database, migrations: applied }, 'database migrated');

  const pool = createPool({
    ...mysql2Options(resolved, true),
    connectionLimit: resolved.poolSize,
    maxIdle: resolved.poolSize,
    idleTimeout: 60_000,
    waitForConnections: true,
  });
  const db = new Kysely<S>({
    dialect: new MysqlDialect({
      pool: boundedPool(pool, resolved),
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw(SESSION_SETUP_SQL));
      },
    }),
  });
  // the first query starts Kysely's driver; until then destroy() would be a no-op and a later query would
  // quietly open a new pool. It also proves the pool works before the service starts.
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await withDeadline(db.destroy(), resolved.connectTimeoutMs).catch(() => undefined);
    throw err;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= withDeadline(db.destroy(), resolved.connectTimeoutMs).catch((err: unknown) => {
      log?.warn({ err }, 'closing the database pool failed');
    });
    return closing;
  };
  return { db, reads: db, dialect: MYSQL_DIALECT, close };
}

/** Creates the database when this user cannot see it yet (a user without CREATE on an existing database is fine). */
async function ensureDatabase(options: ResolvedMysqlStoreOptions): Promise<void> {
  const connection = createConnection(mysql2Options(options, false));
  connection.on('error', () => undefined); // failures reach the query callbacks; an idle one must not crash the process
  try {
    await run(connection, SESSION_SETUP_SQL, []);
    const rows = (await run(connection, 'select schema_name from information_schema.schemata where schema_name = ?', [options.database])) as unknown[];
    if (rows.length > 0) return;
    // the name was validated against [A-Za-z0-9_$]{1,64}: safe between backquotes
    await run(connection, `create database if not exists \`${options.database}\` character set ${TABLE_CHARSET} collate ${TABLE_COLLATION}`, []);
  } finally {
    connection.destroy();
  }
}

function run(connection: Connection, statement: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.query(statement, values, (error, result) => {
      if (!error) return resolve(result);
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('ER_ACCESS') || code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_NOT_SUPPORTED_AUTH_MODE')) {
        reject(new FscError('CONFIG_INVALID', `the database refused fscpush (${code}): check user, password and privileges`, undefined, { cause: error }));
      } else reject(translateConnectionError(error));
    });
  });
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FscError('STORE_UNAVAILABLE', `no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
