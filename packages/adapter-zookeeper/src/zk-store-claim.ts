import { randomUUID } from 'node:crypto';
import { FscError, type Logger } from '@fscpush/core';
import { ZkSession, type ZkSessionOptions } from './zk/zk-session.ts';

export interface StoreClaimOptions {
  zookeeper: ZkSessionOptions;
  /** push-group or push-api: whose data the claim is about. */
  service: string;
  /** sqlite: this instance keeps the service's data in a local file (only one may); mysql: in the shared database. */
  kind: 'sqlite' | 'mysql';
  /** Shown to whoever is refused: where the data lives (host, file or database). */
  holder: Record<string, string | number>;
  /** Parent of `stores/` (default '/fscpush'). */
  root?: string;
  /** The claim was taken by another instance while our session was being renewed. */
  onLost?: (err: FscError) => void;
  logger?: Logger;
}

export interface StoreClaim {
  readonly path: string;
  release(): Promise<void>;
}

const SQLITE = 'sqlite';

/**
 * Who holds a service's data, in ZooKeeper, so instances cannot silently split it:
 *   <root>/stores/<service>/sqlite        EPHEMERAL: the one instance keeping the data in a local SQLite file
 *   <root>/stores/<service>/mysql-<uuid>  EPHEMERAL: each instance on the shared MySQL database
 * A second sqlite claim, or a sqlite claim beside any mysql one (either way round), fails with STORE_CLAIMED.
 * Both sides create their node first and then look at the others, so two racing starts cannot both pass.
 */
export async function claimServiceStore(options: StoreClaimOptions): Promise<StoreClaim> {
  const dir = `${options.root ?? '/fscpush'}/stores/${options.service}`;
  const path = `${dir}/${options.kind === 'sqlite' ? SQLITE : `mysql-${randomUUID()}`}`;
  const session = await ZkSession.open({ logger: options.logger, ...options.zookeeper });
  try {
    await session.createEphemeral(path, Buffer.from(JSON.stringify(options.holder)), {
      onForeignOwner: 'give-up',
      conflict: () => new FscError('STORE_CLAIMED', `${path} is held by another instance`),
      ...(options.onLost && { onLost: options.onLost }),
    });
  } catch (err) {
    const holder = err instanceof FscError && err.code === 'STORE_CLAIMED' ? await describe(session, path) : undefined;
    await session.close();
    if (holder === undefined) throw err;
    throw new FscError(
      'STORE_CLAIMED',
      `another ${options.service} already keeps its data in a local SQLite file (im.embed_db=1: ${holder}); ` +
        `a second one would hold a different part of the users, groups and messages. Run one ${options.service} with im.embed_db=1, ` +
        `or set im.embed_db=0 on every ${options.service} to share the MySQL database (im.jdbc_url)`,
      { path, holder },
    );
  }
  const others = (await session.getChildren(dir)).filter((child) => `${dir}/${child}` !== path);
  const clash = options.kind === 'sqlite' ? others.filter((child) => child.startsWith('mysql-')) : others.filter((child) => child === SQLITE);
  if (clash.length > 0) {
    const holders = await Promise.all(clash.map((child) => describe(session, `${dir}/${child}`)));
    await session.close();
    throw new FscError(
      'STORE_CLAIMED',
      options.kind === 'sqlite'
        ? `${clash.length} ${options.service} instance(s) already keep their data in the MySQL database (${holders.join('; ')}); ` +
            `this one with im.embed_db=1 would keep a separate SQLite copy. Set im.embed_db=0 here too, or stop them first`
        : `a ${options.service} with im.embed_db=1 keeps this cluster's ${options.service} data in a local SQLite file (${holders.join('; ')}); ` +
            `this one on MySQL would split the data. Stop that one, or set im.embed_db=1 only on a single ${options.service}`,
      { path, holders },
    );
  }
  return { path, release: () => session.close() };
}

async function describe(session: ZkSession, path: string): Promise<string> {
  const data = await session.getData(path).catch(() => undefined);
  if (data === undefined) return 'gone meanwhile';
  try {
    return Object.entries(JSON.parse(data.toString()) as Record<string, unknown>)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  } catch {
    return data.toString();
  }
}
