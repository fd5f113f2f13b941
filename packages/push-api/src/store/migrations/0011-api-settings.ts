import { sql, type Kysely } from 'kysely';

/**
 * push-api's own settings (the generated admin secret). Builds before services owned their tables kept it
 * in the shared `kv` table: copied over when that table is there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_settings')
    .addColumn('k', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('v', 'varchar(1024)', (c) => c.notNull())
    .execute();
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === 'kv')) return;
  await sql`insert into api_settings (k, v) select k, v from kv where k = 'secret.admin'`.execute(db);
}
