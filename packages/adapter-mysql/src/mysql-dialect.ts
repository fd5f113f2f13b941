import { sql, type InsertQueryBuilder, type SelectQueryBuilder } from 'kysely';
import type { SqlDialect } from '@fscpush/ports';

type AnyInsert = InsertQueryBuilder<any, any, any>;

const errorCode = (err: unknown): unknown => (typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined);

/** MySQL/MariaDB (InnoDB): writers on several hosts; rows locked by SELECT … FOR UPDATE. */
export const MYSQL_DIALECT: SqlDialect = {
  name: 'mysql',
  embedded: false,
  lockRows: <DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, mode: 'update' | 'share' = 'update') =>
    mode === 'update' ? query.forUpdate() : query.modifyEnd(sql`lock in share mode`),
  insertIgnore: (insert) => insert.ignore(),
  upsert: (insert, _key, changes) => (insert as AnyInsert).onDuplicateKeyUpdate(changes as never),
  upsertTakingNew: (insert, _key, columns) => (insert as AnyInsert).onDuplicateKeyUpdate(Object.fromEntries(columns.map((c) => [c, sql`values(${sql.ref(c)})`])) as never),
  upsertRaising: (insert, _table, _key, column, alongside) => {
    // assignments run left to right: the alongside columns compare with the old value before it is raised
    const set: Record<string, unknown> = {};
    for (const c of alongside) set[c] = sql`if(values(${sql.ref(column)}) > ${sql.ref(column)}, values(${sql.ref(c)}), ${sql.ref(c)})`;
    set[column] = sql`greatest(${sql.ref(column)}, values(${sql.ref(column)}))`;
    return (insert as AnyInsert).onDuplicateKeyUpdate(set as never);
  },
  isTransientConflict: (err) => {
    const code = errorCode(err);
    return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'ER_DUP_ENTRY';
  },
  isDuplicate: (err) => errorCode(err) === 'ER_DUP_ENTRY',
};
