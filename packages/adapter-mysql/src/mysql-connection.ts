import type { PoolOptions } from 'mysql2';
import { FscError } from '@fscpush/core';
import type { ResolvedMysqlStoreOptions } from './mysql-store-options.ts';

/**
 * How every fscpush connection to MySQL/MariaDB is set up, whatever the server's defaults:
 * - utf8mb4 with the binary collation: 4-byte characters (emoji) round-trip, and text compares like
 *   SQLite's (case-sensitive: uids and gids are base64url, where "a" and "A" differ);
 * - UTC (all fscpush times are epoch-ms bigints anyway; this keeps NOW() and friends host-independent);
 * - a fixed sql_mode: strict (too-long text fails instead of being cut) and never NO_BACKSLASH_ESCAPES,
 *   which would break mysql2's client-side escaping of parameters;
 * - BIGINT and DECIMAL read back as strings (64-bit ids above 2^53 keep every digit).
 */
export const SESSION_SETUP_SQL =
  "set names utf8mb4 collate utf8mb4_bin, time_zone = '+00:00', " +
  "sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'";

/** Character set and collation of every table fscpush creates (and of the database when it creates it). */
export const TABLE_CHARSET = 'utf8mb4';
export const TABLE_COLLATION = 'utf8mb4_bin';

export function mysql2Options(options: ResolvedMysqlStoreOptions, withDatabase: boolean): PoolOptions {
  return {
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    ...(withDatabase && { database: options.database }),
    ...(options.tls === 'required' && { ssl: { rejectUnauthorized: false } }),
    ...(options.tls === 'verify' && { ssl: { rejectUnauthorized: true } }),
    charset: 'UTF8MB4_BIN',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    multipleStatements: false,
    connectTimeout: options.connectTimeoutMs,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
  };
}

/** mysql2 codes that mean "the server or the connection is gone", not "this statement is wrong". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
]);

/**
 * Connection-level failures become FscError STORE_UNAVAILABLE (retriable), the mysql2 error as cause.
 * Statement errors (ER_DUP_ENTRY, ER_LOCK_DEADLOCK, …) stay as mysql2 raised them: callers look at their code.
 */
export function translateConnectionError(err: unknown): unknown {
  if (err instanceof FscError || typeof err !== 'object' || err === null) return err;
  const { code, fatal } = err as { code?: unknown; fatal?: unknown };
  const byCode = typeof code === 'string' && CONNECTION_CODES.has(code);
  // a fatal error without a server error code (ER_…) is the connection breaking (protocol or network)
  const brokenConnection = fatal === true && !(typeof code === 'string' && code.startsWith('ER_'));
  if (byCode || brokenConnection) {
    return new FscError('STORE_UNAVAILABLE', `database connection failed (${typeof code === 'string' ? code : 'fatal'})`, undefined, { cause: err });
  }
  return err;
}
