import type { Kysely } from 'kysely';

/**
 * push-api's app keys. The key itself is shown once at creation; only its SHA-256 is kept. `key_id` is the
 * public part of the key (it names the key in lists and logs); disabled keys stay listed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('key_id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}
