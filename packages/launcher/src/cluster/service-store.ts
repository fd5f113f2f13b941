import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ConfigValues, Logger, ShutdownSequence } from '@fscpush/core';
import type { Store } from '@fscpush/ports';
import { openMysqlStore } from '@fscpush/adapter-mysql';
import { lockSqliteFile, openSqliteStore } from '@fscpush/adapter-sqlite';
import { claimServiceStore, type ZkSessionOptions } from '@fscpush/adapter-zookeeper';
import { PUSH_API_MIGRATIONS } from '@fscpush/push-api';
import { PUSH_GROUP_MIGRATIONS } from '@fscpush/push-group';
import { mysqlEndpoint } from './endpoints.ts';

export interface ServiceStoreOptions {
  config: ConfigValues;
  service: 'push-group' | 'push-api';
  /** a SQLite file of this instance (fscpush.store=sqlite, or im.embed_db=1) instead of MySQL */
  sqlite: boolean;
  dataDir: string;
  zookeeper: ZkSessionOptions;
  shutdown: ShutdownSequence;
  log: Logger;
  /** Called after the service shut itself down because another instance took its store claim. */
  onFatal?: () => void;
}

/**
 * The store of push-group or push-api in cluster mode: the shared MySQL database, or with im.embed_db=1
 * (FShareChat's embedded H2) a SQLite file of this instance, `<data dir>/<service>.sqlite`. Either way
 * the instance claims its kind of store in ZooKeeper first, so one SQLite instance never runs beside a
 * second one or beside MySQL instances, and a lock file keeps a second process on this host off the file.
 */
export async function openServiceStore<S>(options: ServiceStoreOptions): Promise<Store<S>> {
  const migrations = [options.service === 'push-group' ? PUSH_GROUP_MIGRATIONS : PUSH_API_MIGRATIONS];
  const { config, service, dataDir, shutdown, log } = options;
  const embedded = options.sqlite;
  const file = join(dataDir, `${service}.sqlite`);
  const mysql = embedded ? undefined : mysqlEndpoint(config['im.jdbc_url']);
  const claim = await claimServiceStore({
    zookeeper: options.zookeeper,
    service,
    kind: embedded ? 'sqlite' : 'mysql',
    holder: { host: hostname(), pid: process.pid, ...(mysql ? { database: `${mysql.host}:${mysql.port}/${mysql.database}` } : { file }) },
    // our session expired and another instance claimed the store meanwhile: serving on would split the data
    onLost: (err) => {
      log.fatal({ err }, `${service}: another instance took the ZooKeeper claim on this store while the session was renewed; shutting down`);
      void shutdown.run(config['shutdown.timeout.ms']).then(() => options.onFatal?.());
    },
    logger: log,
  });
  shutdown.add('store-claim', () => claim.release());
  if (mysql) {
    return openMysqlStore({ ...mysql, user: config['im.user'], password: config['im.password'], poolSize: config['im.pool.size'], log }, migrations);
  }
  const lock = lockSqliteFile(file);
  shutdown.add('store-lock', () => lock.release());
  log.info({ file }, `${config['im.embed_db'] ? 'im.embed_db=1' : 'fscpush.store=sqlite'}: ${service} keeps its data in a local SQLite file`);
  return openSqliteStore(file, { cacheMb: config['embedded.sqlite.cache.mb'], migrations });
}
