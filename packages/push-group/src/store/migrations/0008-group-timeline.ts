import type { Kysely } from 'kysely';

/**
 * Lazy inboxes for large groups. A group marked `lazy` stores each message once in its timeline
 * (gid, gseq → mid); members' inboxes get it when they are online at send time, or when they next
 * connect or pull. `tl_seq` is how far a member's inbox has taken in the group's timeline; a removed
 * member still receives what was sent up to `tl_until` (the timeline head when they left).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('groups').addColumn('lazy', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('group_members').addColumn('tl_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('group_members').addColumn('tl_until', 'bigint').execute();
  await db.schema
    .createTable('timeline')
    .addColumn('gid', 'varchar(64)', (c) => c.notNull())
    .addColumn('gseq', 'bigint', (c) => c.notNull())
    .addColumn('mid', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('timeline_pk', ['gid', 'gseq'])
    .execute();
  await db.schema
    .createTable('timeline_heads')
    .addColumn('gid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
}
