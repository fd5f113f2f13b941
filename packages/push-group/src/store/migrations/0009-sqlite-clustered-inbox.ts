import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '@fscpush/ports';

/**
 * SQLite only: the hottest write tables become WITHOUT ROWID, stored in their primary key's order like
 * InnoDB does on MySQL. A row insert then updates one B-tree instead of the table and its key index.
 * Rebuilds the tables (a one-time copy at the first start of this version).
 */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== 'sqlite') return;
  const tables = [
    { name: 'inbox', columns: 'uid varchar(64) not null, seq bigint not null, mid bigint not null, primary key (uid, seq)', list: 'uid, seq, mid' },
    { name: 'inbox_heads', columns: 'uid varchar(64) not null primary key, seq bigint not null', list: 'uid, seq' },
    { name: 'timeline', columns: 'gid varchar(64) not null, gseq bigint not null, mid bigint not null, primary key (gid, gseq)', list: 'gid, gseq, mid' },
  ];
  for (const table of tables) {
    const next = `${table.name}_clustered`;
    await sql.raw(`create table ${next} (${table.columns}) without rowid`).execute(db);
    await sql.raw(`insert into ${next} (${table.list}) select ${table.list} from ${table.name}`).execute(db);
    await sql.raw(`drop table ${table.name}`).execute(db);
    await sql.raw(`alter table ${next} rename to ${table.name}`).execute(db);
  }
}
