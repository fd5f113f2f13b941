import { sql, type Kysely } from 'kysely';

/**
 * The newest inbox seq of every user, in its own row: the message writer locks these rows while it
 * allocates sequence numbers, so several push-group processes never hand out the same seq.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbox_heads')
    .addColumn('uid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into inbox_heads (uid, seq) select uid, max(seq) from inbox group by uid`.execute(db);
}
