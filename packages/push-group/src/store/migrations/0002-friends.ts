import type { Kysely } from 'kysely';

/**
 * Friend requests, and a blacklist of its own: blacklisting is independent of friendship, which the single
 * `friends.state` column cannot express. Rows 0001 marked blacklisted (state 2) move to the blacklist.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('friend_requests')
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('target', 'varchar(64)', (c) => c.notNull())
    .addColumn('reason', 'varchar(512)', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('from_read', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('to_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('friend_requests_pk', ['uid', 'target'])
    .execute();
  await db.schema.createIndex('friend_requests_uid_updated').on('friend_requests').columns(['uid', 'updated_at']).execute();
  await db.schema.createIndex('friend_requests_target_updated').on('friend_requests').columns(['target', 'updated_at']).execute();

  await db.schema
    .createTable('blacklist')
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('target', 'varchar(64)', (c) => c.notNull())
    .addColumn('blacklisted', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('blacklist_pk', ['uid', 'target'])
    .execute();

  await db
    .insertInto('blacklist')
    .columns(['uid', 'target', 'blacklisted', 'updated_at'])
    .expression((eb) => eb.selectFrom('friends').select(['uid', 'friend_uid', eb.lit(1).as('blacklisted'), 'updated_at']).where('state', '=', 2))
    .execute();
  await db.updateTable('friends').set({ state: 1 }).where('state', '=', 2).execute();
}
