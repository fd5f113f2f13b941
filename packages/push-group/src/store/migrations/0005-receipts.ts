import type { Kysely } from 'kysely';

/** Per user and conversation: the newest message delivered to and read by that user. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['delivered_positions', 'read_positions']) {
    await db.schema
      .createTable(table)
      .addColumn('uid', 'varchar(64)', (c) => c.notNull())
      .addColumn('conv_key', 'varchar(140)', (c) => c.notNull())
      .addColumn('mid', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['uid', 'conv_key'])
      .execute();
    await db.schema.createIndex(`${table}_conv`).on(table).columns(['conv_key', 'mid']).execute();
  }
}
