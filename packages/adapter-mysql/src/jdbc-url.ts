import { FscError } from '@fscpush/core';

/** Where and how to reach a MySQL/MariaDB database, as read from a URL. */
export interface MysqlLocation {
  host: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  /** off: plain TCP; required: TLS without certificate checks; verify: TLS checked against the system CAs */
  tls: 'off' | 'required' | 'verify';
}

const DEFAULT_PORT = 3306;
/** Unquoted MySQL identifier characters; the name is put into CREATE DATABASE, so nothing else is accepted. */
const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;

/**
 * FShareChat's `im.jdbc_url`: `jdbc:mysql://host:port/database?useSSL=false&serverTimezone=GMT&…` (also
 * `jdbc:mariadb:`). Reads host, port (3306), database, `user`/`password` parameters and the TLS ones
 * (`sslMode`, or Connector/J 5's `useSSL`/`requireSSL`/`verifyServerCertificate`); every other parameter
 * (serverTimezone, characterEncoding, useUnicode, allowPublicKeyRetrieval, …) is ignored because fscpush
 * always talks utf8mb4 in UTC. One host only: failover lists (`host1,host2`) are refused.
 */
export function parseJdbcUrl(url: string): MysqlLocation {
  const match = /^jdbc:(mysql|mariadb):(\/\/.*)$/i.exec(url.trim());
  if (!match) throw invalid(url, 'expected jdbc:mysql://host[:port]/database[?parameters]');
  return parseAuthorityUrl(url, `mysql:${match[2]!}`);
}

/** `mysql://user:password@host:port/database?ssl-mode=REQUIRED` (the dev stack's FSCPUSH_MYSQL_URI), or a JDBC URL. */
export function parseMysqlUrl(url: string): MysqlLocation {
  const trimmed = url.trim();
  if (/^jdbc:/i.test(trimmed)) return parseJdbcUrl(trimmed);
  if (!/^(mysql|mariadb):\/\//i.test(trimmed)) throw invalid(url, 'expected mysql://user:password@host[:port]/database or jdbc:mysql://host[:port]/database');
  return parseAuthorityUrl(url, trimmed);
}

function parseAuthorityUrl(original: string, url: string): MysqlLocation {
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  if (authority.includes(',')) throw invalid(original, 'one host only (failover host lists are not supported)');
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^[a-z]+:/i, 'http:'));
  } catch {
    throw invalid(original, 'not a URL');
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw invalid(original, 'no host');
  const port = parsed.port === '' ? DEFAULT_PORT : Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(database)) throw invalid(original, `database name must be 1-64 characters of [A-Za-z0-9_$], got ${JSON.stringify(database)}`);
  const params = new Map<string, string>();
  for (const [key, value] of parsed.searchParams) params.set(key.toLowerCase(), value);
  const user = parsed.username !== '' ? decodeURIComponent(parsed.username) : params.get('user');
  const password = parsed.password !== '' ? decodeURIComponent(parsed.password) : params.get('password');
  return {
    host,
    port,
    database,
    ...(user !== undefined && { user }),
    ...(password !== undefined && { password }),
    tls: tlsMode(original, params),
  };
}

function tlsMode(url: string, params: Map<string, string>): MysqlLocation['tls'] {
  const mode = (params.get('sslmode') ?? params.get('ssl-mode'))?.toUpperCase();
  if (mode !== undefined) {
    if (mode === 'DISABLED' || mode === 'PREFERRED') return 'off'; // PREFERRED: fscpush does not do opportunistic TLS
    if (mode === 'REQUIRED') return 'required';
    if (mode === 'VERIFY_CA' || mode === 'VERIFY_IDENTITY') return 'verify';
    throw invalid(url, `unknown sslMode ${JSON.stringify(mode)}`);
  }
  const useSsl = params.get('usessl') === 'true' || params.get('requiressl') === 'true';
  if (!useSsl) return 'off';
  return params.get('verifyservercertificate') === 'true' ? 'verify' : 'required';
}

function invalid(url: string, why: string): FscError {
  // the URL may carry a password: name the problem, not the URL
  return new FscError('CONFIG_INVALID', `invalid MySQL URL: ${why}`, { url: url.replace(/\/\/[^@/]*@/, '//***@').replace(/password=[^&]*/gi, 'password=***') });
}
