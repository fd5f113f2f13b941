import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResult } from 'kysely/migration';
import type { MigrationContext, ServiceMigrations, SqlDialect } from '@fscpush/ports';

/** Where fscpush builds before services owned their tables recorded every step, for all services at once. */
export const SHARED_MIGRATION_TABLE = 'kysely_migration';

export interface ServiceMigrationFailure {
  service: string;
  /** the step that failed, when one did (not the lock or the bookkeeping) */
  step?: string;
  error: unknown;
}

export interface ServiceMigrationOutcome {
  /** steps run now, as `<service>/<step>` */
  applied: string[];
  failure?: ServiceMigrationFailure;
}

/**
 * Brings each service's tables to its latest step, service by service in the order given. Each service's
 * record of what ran is its own table; a database an older build migrated keeps what it recorded in the
 * shared table (taken over once, step by step, for the steps this service owns).
 */
export async function migrateServices(db: Kysely<any>, dialect: SqlDialect, ctx: MigrationContext, services: readonly ServiceMigrations[]): Promise<ServiceMigrationOutcome> {
  checkDistinct(services);
  const applied: string[] = [];
  for (const service of services) {
    try {
      await adoptSharedRecord(db, dialect, service);
    } catch (error) {
      return { applied, failure: { service: service.service, error } };
    }
    const migrations: Record<string, Migration> = {};
    for (const [name, step] of Object.entries(service.steps)) migrations[name] = { up: (trx) => step.up(trx, ctx) };
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      migrationTableName: service.table,
      migrationLockTableName: `${service.table}_lock`,
    });
    const { error, results = [] } = await migrator.migrateToLatest();
    applied.push(...results.filter((r: MigrationResult) => r.status === 'Success').map((r) => `${service.service}/${r.migrationName}`));
    if (error) {
      const step = results.find((r) => r.status === 'Error')?.migrationName;
      return { applied, failure: { service: service.service, ...(step !== undefined && { step }), error } };
    }
  }
  return { applied };
}

function checkDistinct(services: readonly ServiceMigrations[]): void {
  const tables = new Set(services.map((s) => s.table));
  if (tables.size !== services.length || tables.has(SHARED_MIGRATION_TABLE)) {
    throw new Error(`each service needs a migration table of its own (got ${services.map((s) => s.table).join(', ')})`);
  }
}

/** Copies this service's steps from the shared record into its own, the first time it starts on such a database. */
async function adoptSharedRecord(db: Kysely<any>, dialect: SqlDialect, service: ServiceMigrations): Promise<void> {
  const tables = new Set((await db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name));
  if (tables.has(service.table) || !tables.has(SHARED_MIGRATION_TABLE)) return;
  // the shape Kysely's migrator creates for its record, so it finds the table as its own
  await db.schema
    .createTable(service.table)
    .ifNotExists()
    .addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey())
    .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
    .execute();
  const owned = Object.keys(service.steps);
  if (owned.length === 0) return;
  const rows = await sql<{ name: string; timestamp: string }>`select name, timestamp from ${sql.table(SHARED_MIGRATION_TABLE)}`.execute(db);
  const taken = rows.rows.filter((r) => owned.includes(r.name));
  if (taken.length === 0) return;
  // two processes of one service may start together: the second finds the rows there
  await dialect.insertIgnore(db.insertInto(service.table).values(taken.map((r) => ({ name: r.name, timestamp: r.timestamp }))), ['name']).execute();
}
