import { hostname } from 'node:os';
import { FscError, type Logger } from '@fscpush/core';
import type { NodeIdAllocator } from '@fscpush/ports';
import { isZkError } from './zk/zk-client.ts';
import { ZkSession, type ZkSessionOptions } from './zk/zk-session.ts';

export interface ZkNodeIdAllocatorOptions {
  /** Connection settings (the allocator opens and closes its own session) or a shared open session. */
  zookeeper: ZkSessionOptions | ZkSession;
  /** Parent of `node-ids/` and `node-id-keys/` (default '/fscpush'). */
  root?: string;
  /** Highest id (default 1023: the message-id node bits). */
  maxId?: number;
  /** Called if, after a session expiry, another session took the lease before ours was re-created. */
  onLeaseLost?: (id: number, err: FscError) => void;
  logger?: Logger;
}

const MAX_KEY_LENGTH = 200;

/**
 * Node ids 0–maxId over ZooKeeper:
 *   <root>/node-ids/<id>          PERSISTENT, data = instanceKey   (the id belongs to that key for good)
 *   <root>/node-id-keys/<key>     PERSISTENT, data = id            (created with the above in one multi)
 *   <root>/node-ids/<id>/lease    EPHEMERAL, data = pid@host       (held while the instance is alive)
 *
 * The same key always gets the same id (across restarts and hosts); two keys never share an id (the multi
 * create is atomic, so racing allocations of one key or one id cannot both win); a second live instance
 * with the same key is refused with NODE_ID_CONFLICT while the first holds the lease (its session is
 * alive); all ids taken → NODE_ID_EXHAUSTED. The lease follows the session: re-created after an expiry.
 */
export class ZkNodeIdAllocator implements NodeIdAllocator {
  private readonly session: ZkSession;
  private readonly ownsSession: boolean;
  private readonly root: string;
  private readonly maxId: number;
  private readonly onLeaseLost: ((id: number, err: FscError) => void) | undefined;
  private readonly leases = new Set<string>();

  constructor(session: ZkSession, ownsSession: boolean, options: Omit<ZkNodeIdAllocatorOptions, 'zookeeper'>) {
    this.session = session;
    this.ownsSession = ownsSession;
    this.root = options.root ?? '/fscpush';
    this.maxId = options.maxId ?? 1023;
    this.onLeaseLost = options.onLeaseLost;
  }

  async allocate(instanceKey: string): Promise<number> {
    if (instanceKey === '' || instanceKey.length > MAX_KEY_LENGTH) {
      throw new FscError('INVALID_DATA', `instance key must be 1–${MAX_KEY_LENGTH} characters`);
    }
    const id = await this.idFor(instanceKey);
    await this.takeLease(id, instanceKey);
    return id;
  }

  /** Releases the leases (closing the session if the allocator opened it). */
  async close(): Promise<void> {
    if (this.ownsSession) {
      await this.session.close();
    } else {
      await Promise.all([...this.leases].map((path) => this.session.removeEphemeral(path)));
    }
    this.leases.clear();
  }

  private idsPath(): string {
    return `${this.root}/node-ids`;
  }

  private keyPath(instanceKey: string): string {
    return `${this.root}/node-id-keys/${encodeURIComponent(instanceKey)}`;
  }

  /** The key's id, claiming the lowest free one the first time. */
  private async idFor(instanceKey: string): Promise<number> {
    await this.session.mkdirp(this.idsPath());
    await this.session.mkdirp(`${this.root}/node-id-keys`);
    const known = await this.knownId(instanceKey);
    if (known !== undefined) return known;
    const taken = new Set((await this.session.getChildren(this.idsPath())).map(Number));
    for (let id = 0; id <= this.maxId; id++) {
      if (taken.has(id)) continue;
      try {
        await this.session.createAll([
          { path: this.keyPath(instanceKey), data: Buffer.from(String(id)) },
          { path: `${this.idsPath()}/${id}`, data: Buffer.from(instanceKey) },
        ]);
        return id;
      } catch (err) {
        if (!isZkError(err, 'NODE_EXISTS')) throw err;
        // Either another instance claimed this id, or one with the same key won the race.
        const raced = await this.knownId(instanceKey);
        if (raced !== undefined) return raced;
      }
    }
    throw new FscError('NODE_ID_EXHAUSTED', `all node ids 0–${this.maxId} are taken (${this.idsPath()})`);
  }

  private async knownId(instanceKey: string): Promise<number | undefined> {
    const data = await this.session.getData(this.keyPath(instanceKey));
    if (data === undefined) return undefined;
    const id = Number(data.toString());
    if (!Number.isInteger(id) || id < 0 || id > this.maxId) {
      throw new FscError('NODE_ID_CONFLICT', `${this.keyPath(instanceKey)} holds "${data.toString()}", not an id 0–${this.maxId}`);
    }
    const owner = await this.session.getData(`${this.idsPath()}/${id}`);
    if (owner !== undefined && owner.toString() !== instanceKey) {
      throw new FscError('NODE_ID_CONFLICT', `node id ${id} is recorded for both "${instanceKey}" and "${owner.toString()}"`);
    }
    return id;
  }

  private async takeLease(id: number, instanceKey: string): Promise<void> {
    const path = `${this.idsPath()}/${id}/lease`;
    try {
      await this.session.createEphemeral(path, Buffer.from(`${process.pid}@${hostname()}`), {
        onForeignOwner: 'give-up',
        conflict: () => new FscError('NODE_ID_CONFLICT', `node id ${id} of "${instanceKey}" is held by another live instance`),
        onLost: (err) => this.onLeaseLost?.(id, err),
      });
    } catch (err) {
      if (err instanceof FscError && err.code === 'NODE_ID_CONFLICT') {
        const holder = await this.session.getData(path).catch(() => undefined);
        throw new FscError(
          'NODE_ID_CONFLICT',
          `node id ${id} of instance key "${instanceKey}" is held by another live instance (${holder?.toString() ?? 'unknown'}); ` +
            'two processes must not share a data dir / instance key',
          { id, holder: holder?.toString() },
        );
      }
      throw err;
    }
    this.leases.add(path);
  }
}

export async function createZkNodeIdAllocator(options: ZkNodeIdAllocatorOptions): Promise<ZkNodeIdAllocator> {
  const shared = options.zookeeper instanceof ZkSession;
  const session = options.zookeeper instanceof ZkSession ? options.zookeeper : await ZkSession.open({ logger: options.logger, ...options.zookeeper });
  return new ZkNodeIdAllocator(session, !shared, options);
}
