import { networkInterfaces } from 'node:os';
import { FscError } from '@fscpush/core';

/** `zookeeper://a:2181?backup=b:2181,c:2181` (Dubbo's form) → `a:2181,b:2181,c:2181`. */
export function zookeeperConnectString(address: string): string {
  const url = new URL(address.replace(/^zookeeper:\/\//, 'http://'));
  if (url.hostname === '') throw new FscError('CONFIG_INVALID', 'dubbo.registry.address: no host');
  const first = `${url.hostname}:${url.port || '2181'}`;
  const backups = (url.searchParams.get('backup') ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
  const chroot = url.pathname !== '/' && url.pathname !== '' ? url.pathname : '';
  return [first, ...backups].join(',') + chroot;
}

export function hostPortList(value: string, defaultPort: number): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => (/:\d+$/.test(entry) ? entry : `${entry}:${defaultPort}`));
}

/** Everything a MySQL connection needs from FShareChat's `im.jdbc_url` + `im.user`/`im.password`. */
export interface MysqlEndpoint {
  host: string;
  port: number;
  database: string;
}

export function mysqlEndpoint(jdbcUrl: string): MysqlEndpoint {
  const match = /^jdbc:(?:mysql|mariadb):\/\/([^/:?]+)(?::(\d+))?\/([A-Za-z0-9_$]+)/.exec(jdbcUrl);
  if (!match) throw new FscError('CONFIG_INVALID', `im.jdbc_url: expected jdbc:mysql://host:port/database, got ${JSON.stringify(jdbcUrl)}`);
  return { host: match[1]!, port: Number(match[2] ?? 3306), database: match[3]! };
}

/**
 * The RPC address other hosts use: `dubbo.protocol.host`, else the bind address, else (bound to every
 * interface) the first non-internal IPv4 address, as Dubbo picks it.
 */
export function advertisedHost(protocolHost: string, bindAddress: string, interfaces = networkInterfaces()): string {
  if (protocolHost !== '') return protocolHost;
  if (bindAddress !== '0.0.0.0' && bindAddress !== '::') return bindAddress;
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return '127.0.0.1';
}
