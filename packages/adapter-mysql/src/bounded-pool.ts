import type { Pool, PoolConnection } from 'mysql2';
import type { MysqlPool, MysqlPoolConnection } from 'kysely';
import { FscError } from '@fscpush/core';
import { translateConnectionError } from './mysql-connection.ts';

export interface PoolLimits {
  /** Longest wait for a free connection. */
  acquireTimeoutMs: number;
  /** Longest one statement may run before its connection is dropped. */
  queryTimeoutMs: number;
}

type QueryCallback = (error: unknown, result: never) => void;
type KyselyQueryResult = ReturnType<MysqlPoolConnection['query']>;
/** The one mysql2 query signature used here (its typings overload it heavily). */
interface RawQuery {
  query(sql: string, values: unknown, callback?: (error: unknown, result: unknown) => void): unknown;
}

/**
 * The mysql2 pool as Kysely's MysqlDialect drives it, with the waits mysql2 leaves unbounded bounded:
 * getting a connection (mysql2 queues forever) and running a statement (a dead peer on a silent network
 * would hold the caller for the kernel's TCP timeout, many minutes). A timed-out statement destroys its
 * connection — the only way to stop waiting on it — and fails with STORE_UNAVAILABLE; the pool opens a
 * new one when needed. Connection failures come out as STORE_UNAVAILABLE too (mysql-connection.ts).
 */
export function boundedPool(pool: Pool, limits: PoolLimits): MysqlPool {
  // Kysely keeps per-connection state keyed by the object it gets: always hand out the same wrapper
  const wrappers = new WeakMap<PoolConnection, MysqlPoolConnection>();
  const wrap = (connection: PoolConnection): MysqlPoolConnection => {
    let wrapper = wrappers.get(connection);
    if (!wrapper) {
      wrapper = boundedConnection(connection, limits.queryTimeoutMs);
      wrappers.set(connection, wrapper);
    }
    return wrapper;
  };
  return {
    getConnection(callback) {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        callback(new FscError('STORE_UNAVAILABLE', `no database connection free within ${limits.acquireTimeoutMs} ms`, { acquireTimeoutMs: limits.acquireTimeoutMs }), undefined as never);
      }, limits.acquireTimeoutMs);
      pool.getConnection((error, connection) => {
        if (settled) {
          if (!error) connection.release(); // the caller gave up meanwhile
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (error) callback(translateConnectionError(error), undefined as never);
        else callback(null, wrap(connection));
      });
    },
    end(callback) {
      pool.end(callback);
    },
  };
}

function boundedConnection(connection: PoolConnection, queryTimeoutMs: number): MysqlPoolConnection {
  const raw = connection as unknown as RawQuery;
  return {
    get config() {
      return connection.config;
    },
    get threadId() {
      return connection.threadId;
    },
    connect: (callback) => connection.connect(callback as (err: unknown) => void),
    destroy: () => connection.destroy(),
    release: () => connection.release(),
    query(sql: string, parameters: unknown, callback?: QueryCallback) {
      // without a callback Kysely streams the result; streams are consumed under the caller's control
      if (!callback) return raw.query(sql, parameters) as KyselyQueryResult;
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        connection.destroy();
        callback(new FscError('STORE_UNAVAILABLE', `database statement ran longer than ${queryTimeoutMs} ms; its connection was dropped`, { queryTimeoutMs }), undefined as never);
      }, queryTimeoutMs);
      return raw.query(sql, parameters, (error, result) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        callback(error ? translateConnectionError(error) : null, result as never);
      }) as KyselyQueryResult;
    },
  };
}
