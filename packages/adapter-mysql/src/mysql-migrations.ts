import { createHash } from 'node:crypto';
import { createPool } from 'mysql2';
import {
  CompiledQuery,
  CreateTableNode,
  Kysely,
  MysqlAdapter,
  MysqlDialect,
  RawNode,
  sql,
  type DialectAdapter,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { FscError } from '@fscpush/core';
import type { ServiceMigrations } from '@fscpush/ports';
import { migrateServices } from '@fscpush/sql-kit';
import { MYSQL_DIALECT } from './mysql-dialect.ts';
import { SESSION_SETUP_SQL, TABLE_CHARSET, TABLE_COLLATION, mysql2Options, translateConnectionError } from './mysql-connection.ts';
import type { ResolvedMysqlStoreOptions } from './mysql-store-options.ts';

/**
 * Every CREATE TABLE the migrations issue on MySQL gets `engine = InnoDB` (transactions, row locks) and
 * utf8mb4/utf8mb4_bin, whatever the database's or server's defaults: the migrations are written once for
 * both dialects and cannot say it themselves.
 */
class MysqlTableOptionsPlugin implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (!CreateTableNode.is(node)) return node;
    return CreateTableNode.cloneWithEndModifier(node, RawNode.createWithSql(`engine = InnoDB default character set ${TABLE_CHARSET} collate ${TABLE_COLLATION}`));
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

/**
 * Kysely's MySQL migration lock is one GET_LOCK for the whole server, waited on for an hour, and its
 * outcome is not checked. This one is per database (two databases migrate side by side), bounded, and a
 * lock not obtained fails the open with STORE_UNAVAILABLE. GET_LOCK belongs to the session: a process
 * that dies mid-migration releases it.
 */
class MigrationLockAdapter extends MysqlAdapter {
  private readonly lockName: string;
  private readonly timeoutSeconds: number;

  constructor(lockName: string, timeoutSeconds: number) {
    super();
    this.lockName = lockName;
    this.timeoutSeconds = timeoutSeconds;
  }

  override async acquireMigrationLock(db: Kysely<any>): Promise<void> {
    const { rows } = await sql<{ locked: number | string | null }>`select get_lock(${this.lockName}, ${this.timeoutSeconds}) as locked`.execute(db);
    if (Number(rows[0]?.locked) !== 1) {
      throw new FscError('STORE_UNAVAILABLE', `another process kept the migration lock ${this.lockName} for ${this.timeoutSeconds} s`, { lock: this.lockName });
    }
  }

  override async releaseMigrationLock(db: Kysely<any>): Promise<void> {
    await sql`select release_lock(${this.lockName})`.execute(db);
  }
}

class MigratingMysqlDialect extends MysqlDialect {
  private readonly adapter: DialectAdapter;

  constructor(config: ConstructorParameters<typeof MysqlDialect>[0], adapter: DialectAdapter) {
    super(config);
    this.adapter = adapter;
  }

  override createAdapter(): DialectAdapter {
    return this.adapter;
  }
}

/** GET_LOCK names are at most 64 characters. */
export function migrationLockName(database: string): string {
  const name = `fscpush-migrate:${database}`;
  return name.length <= 64 ? name : `fscpush-migrate:${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

/**
 * Brings the database to the latest migration, on one dedicated connection without the statement
 * timeout (a migration over a big table may take long). Concurrent opens by several processes are
 * serialised by the lock; the later ones find nothing left to do.
 */
export async function migrateMysql(options: ResolvedMysqlStoreOptions, migrations: readonly ServiceMigrations[]): Promise<string[]> {
  const pool = createPool({ ...mysql2Options(options, true), connectionLimit: 1, maxIdle: 1, queueLimit: 100 });
  const adapter = new MigrationLockAdapter(migrationLockName(options.database), Math.ceil(options.migrationLockTimeoutMs / 1000));
  const db = new Kysely<any>({
    dialect: new MigratingMysqlDialect({ pool, onCreateConnection: (c) => c.executeQuery(CompiledQuery.raw(SESSION_SETUP_SQL)).then(() => undefined) }, adapter),
    plugins: [new MysqlTableOptionsPlugin()],
  });
  try {
    const { applied, failure } = await migrateServices(db, MYSQL_DIALECT, { dialect: 'mysql', longText: sql`mediumtext` }, migrations);
    if (failure) {
      const { error } = failure;
      const failed = failure.step === undefined ? undefined : `${failure.service}/${failure.step}`;
      if (error instanceof FscError) throw error;
      if ((error as { code?: unknown }).code === 'ER_BAD_DB_ERROR') {
        throw new FscError('CONFIG_INVALID', `database ${options.database} does not exist (createDatabase is off)`, { database: options.database }, { cause: error });
      }
      const translated = translateConnectionError(error);
      if (translated instanceof FscError) throw translated;
      throw new FscError(
        'SERVER_ERROR',
        failed === undefined
          ? 'database migration failed'
          : `database migration ${failed} failed; MySQL cannot roll back DDL, so tables it created before failing remain`,
        { database: options.database, ...(failed !== undefined && { migration: failed }) },
        { cause: error },
      );
    }
    return applied;
  } finally {
    await db.destroy();
  }
}
