import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * `column` contains `keyword`, ignoring case, with LIKE wildcards in the keyword matched literally.
 * lower() on both sides: SQLite's LIKE folds ASCII case while MySQL's binary collation does not.
 * '!' escapes: a backslash means different things in SQLite and MySQL string literals.
 */
export function containsIgnoringCase(column: string, keyword: string): RawBuilder<SqlBool> {
  const pattern = `%${keyword.toLowerCase().replace(/[!%_]/g, '!$&')}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '!'`;
}
