import { sql, type InsertQueryBuilder, type OnConflictBuilder } from 'kysely';
import type { SqlDialect } from '@fscpush/ports';

// Kysely types conflict targets and update sets by table; these helpers take column names as strings.
type AnyInsert = InsertQueryBuilder<any, any, any>;
type AnyConflict = OnConflictBuilder<any, any>;


/** Embedded SQLite: one writer, a write transaction holds the database; conflicts resolved by ON CONFLICT. */
export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  embedded: true,
  lockRows: (query) => query,
  insertIgnore: (insert, key) => (insert as AnyInsert).onConflict((oc: AnyConflict) => oc.columns(key as string[]).doNothing()),
  upsert: (insert, key, changes) => (insert as AnyInsert).onConflict((oc: AnyConflict) => oc.columns(key as string[]).doUpdateSet(changes as never)),
  upsertTakingNew: (insert, key, columns) =>
    (insert as AnyInsert).onConflict((oc: AnyConflict) => oc.columns(key as string[]).doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as never)),
  upsertRaising: (insert, table, key, column, alongside) => {
    const stored = (c: string) => sql.ref(`${table}.${c}`);
    const inserted = (c: string) => sql.ref(`excluded.${c}`);
    const set: Record<string, unknown> = {};
    for (const c of alongside) set[c] = sql`case when ${inserted(column)} > ${stored(column)} then ${inserted(c)} else ${stored(c)} end`;
    set[column] = sql`max(${stored(column)}, ${inserted(column)})`;
    return (insert as AnyInsert).onConflict((oc: AnyConflict) => oc.columns(key as string[]).doUpdateSet(set as never));
  },
  // one writer: a conflict with another writer cannot happen; SQLITE_BUSY past busy_timeout is an outage, not a retry
  isTransientConflict: () => false,
  // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY (node:sqlite reports the extended code as errcode)
  isDuplicate: (err) => {
    const errcode = typeof err === 'object' && err !== null ? (err as { errcode?: unknown }).errcode : undefined;
    return errcode === 2067 || errcode === 1555;
  },
};

