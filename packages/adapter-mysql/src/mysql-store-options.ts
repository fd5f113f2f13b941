import { FscError, type Logger } from '@fscpush/core';
import { parseMysqlUrl, type MysqlLocation } from './jdbc-url.ts';

/**
 * Options of the MySQL/MariaDB store: a `url` (mysql://… or FShareChat's jdbc:mysql://…) and/or the
 * parts; a part given explicitly wins over the URL's. Every wait has a bounded default. Times are ms.
 */
export interface MysqlStoreOptions {
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  tls?: MysqlLocation['tls'];
  /** Where the store logs (pool errors, migrations); silent when absent. */
  log?: Logger;

  /** Connections in the pool (FShareChat's c3p0 had 10-100 per process). Default 10. */
  poolSize?: number;
  /** TCP connect + handshake of one connection. Default 10000. */
  connectTimeoutMs?: number;
  /** Longest wait for a free pooled connection before a query fails with STORE_UNAVAILABLE. Default 10000. */
  acquireTimeoutMs?: number;
  /** Longest one statement may run; the connection is then dropped and the call fails with STORE_UNAVAILABLE. Default 30000. Migrations have no such limit. */
  queryTimeoutMs?: number;
  /** Longest wait for another process's migrations (a lock per database). Default 120000. */
  migrationLockTimeoutMs?: number;
  /** Create the database (utf8mb4, utf8mb4_bin) when it is missing, as FShareChat's Flyway did. Default true. */
  createDatabase?: boolean;
}

export type ResolvedMysqlStoreOptions = Required<Omit<MysqlStoreOptions, 'url' | 'log'>> & { log: Logger | undefined };

const LIMITS = {
  poolSize: 10,
  connectTimeoutMs: 10_000,
  acquireTimeoutMs: 10_000,
  queryTimeoutMs: 30_000,
  migrationLockTimeoutMs: 120_000,
} as const;

const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;

/** Fills in the defaults and checks every value; all problems are reported at once (CONFIG_INVALID). */
export function resolveMysqlStoreOptions(options: MysqlStoreOptions): ResolvedMysqlStoreOptions {
  const fromUrl: Partial<MysqlLocation> = options.url !== undefined ? parseMysqlUrl(options.url) : {};
  const given = Object.fromEntries(Object.entries(options).filter(([key, v]) => v !== undefined && key !== 'url')) as Partial<MysqlStoreOptions>;
  const resolved: ResolvedMysqlStoreOptions = {
    ...LIMITS,
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '',
    database: 'fscpush',
    tls: 'off',
    createDatabase: true,
    ...fromUrl,
    ...given,
    log: options.log,
  };
  const problems: string[] = [];
  if (typeof resolved.host !== 'string' || resolved.host === '') problems.push('host: a host name or address');
  if (!Number.isInteger(resolved.port) || resolved.port < 1 || resolved.port > 65535) problems.push(`port: 1-65535 (got ${String(resolved.port)})`);
  if (typeof resolved.user !== 'string' || resolved.user === '') problems.push('user: a non-empty string');
  if (typeof resolved.password !== 'string') problems.push('password: a string');
  if (typeof resolved.database !== 'string' || !DATABASE_NAME.test(resolved.database)) problems.push(`database: 1-64 characters of [A-Za-z0-9_$] (got ${JSON.stringify(resolved.database)})`);
  if (!['off', 'required', 'verify'].includes(resolved.tls)) problems.push('tls: off, required or verify');
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 1) problems.push(`${key}: an integer >= 1 (got ${String(value)})`);
  }
  if (problems.length > 0) throw new FscError('CONFIG_INVALID', `invalid MySQL store options: ${problems.join('; ')}`, { problems });
  return Object.freeze(resolved);
}
