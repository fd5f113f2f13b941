import type { Logger } from '@fscpush/core';
import { FscError } from '@fscpush/core';
import type { Event as ZkEvent } from 'node-zookeeper-client';
import { closeClient, connectClient, CreateMode, isZkError, zkOp, type ZkClient, type ZkStat } from './zk-client.ts';

export interface ZkSessionOptions {
  /** `host:port[,host:port…][/chroot]`. */
  connect: string;
  /** Requested session timeout (default 15 000 ms; the server clamps it to [2, 20] × tickTime). */
  sessionTimeoutMs?: number;
  /** Bound on getting a session, at start and for each attempt after an expiry (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** Bound on every ZooKeeper request (default 5 000 ms). */
  opTimeoutMs?: number;
  /** Longest pause between attempts to get a new session after an expiry (default 5 000 ms). */
  renewBackoffMaxMs?: number;
  logger?: Logger;
}

/** What to do when re-creating an ephemeral node finds one owned by another session. */
export type ForeignOwnerPolicy = 'replace' | 'give-up';

interface EphemeralEntry {
  path: string;
  data: Buffer;
  onForeignOwner: ForeignOwnerPolicy;
  /** Called when the node could not be re-created after an expiry because another session owns it. */
  onLost: ((err: FscError) => void) | undefined;
}

interface ChildWatch {
  path: string;
  listener: (children: string[]) => void;
  active: boolean;
  /** Fetches issued / last applied; answers on one connection come in order, a stale one is dropped. */
  issued: number;
  applied: number;
  /** One watcher function per session generation: the library de-duplicates watchers by identity. */
  watcherGeneration: number;
  watcher: ((event: ZkEvent) => void) | undefined;
  retryTimer: NodeJS.Timeout | undefined;
}

const WATCH_RETRY_MS = 500;

/**
 * A ZooKeeper session that outlives session expiry. node-zookeeper-client reconnects by itself after a
 * disconnect (same session, watches re-sent), but after `expired` the client is dead: this class then
 * connects a new client (bounded attempts with backoff until close()), re-creates every ephemeral node
 * registered through it and re-reads every child watch, re-arming it. Meanwhile watch listeners keep
 * their last value (nothing is reported as removed because the session is gone).
 *
 * Child watches are re-armed on every event (ZooKeeper watches fire once).
 */
export class ZkSession {
  private readonly options: Required<Omit<ZkSessionOptions, 'logger'>>;
  private readonly logger: Logger | undefined;
  private client: ZkClient;
  private generation = 0;
  private state: 'open' | 'renewing' | 'closed' = 'open';
  private readonly ephemerals = new Map<string, EphemeralEntry>();
  private readonly watches = new Set<ChildWatch>();
  private readonly renewListeners = new Set<() => void>();
  private restoreTimer: NodeJS.Timeout | undefined;
  private renewWake: (() => void) | undefined;

  static async open(options: ZkSessionOptions): Promise<ZkSession> {
    const full = withDefaults(options);
    const client = await connectClient(full);
    return new ZkSession(full, options.logger, client);
  }

  private constructor(options: Required<Omit<ZkSessionOptions, 'logger'>>, logger: Logger | undefined, client: ZkClient) {
    this.options = options;
    this.logger = logger;
    this.client = client;
    this.attach(client);
  }

  /** Increments each time a new session replaced an expired one. */
  get sessionGeneration(): number {
    return this.generation;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** The current session's id and password (tests use them to force an expiry). */
  credentials(): { sessionId: Buffer; password: Buffer; connect: string } {
    return { sessionId: this.client.getSessionId(), password: this.client.getSessionPassword(), connect: this.options.connect };
  }

  /** Called after a new session replaced an expired one and ephemerals/watches were restored. */
  onRenewed(listener: () => void): () => void {
    this.renewListeners.add(listener);
    return () => this.renewListeners.delete(listener);
  }

  // ---- plain operations, each bounded by opTimeoutMs ----

  async mkdirp(path: string): Promise<void> {
    const client = this.usable();
    await zkOp<string>(`mkdirp ${path}`, this.options.opTimeoutMs, (done) => client.mkdirp(path, done));
  }

  async createPersistent(path: string, data: Buffer): Promise<void> {
    const client = this.usable();
    await zkOp<string>(`create ${path}`, this.options.opTimeoutMs, (done) => client.create(path, data, CreateMode.PERSISTENT, done));
  }

  async exists(path: string): Promise<ZkStat | undefined> {
    const client = this.usable();
    const stat = await zkOp<ZkStat | null>(`exists ${path}`, this.options.opTimeoutMs, (done) => client.exists(path, done));
    return stat ?? undefined;
  }

  /** The node's data, or undefined when it does not exist. */
  async getData(path: string): Promise<Buffer | undefined> {
    const client = this.usable();
    try {
      const data = await zkOp<Buffer | null>(`get ${path}`, this.options.opTimeoutMs, (done) => client.getData(path, done));
      return data ?? Buffer.alloc(0);
    } catch (err) {
      if (isZkError(err, 'NO_NODE')) return undefined;
      throw err;
    }
  }

  async getChildren(path: string): Promise<string[]> {
    const client = this.usable();
    return zkOp<string[]>(`children ${path}`, this.options.opTimeoutMs, (done) => client.getChildren(path, done));
  }

  /** Deletes a node; a missing node is fine. */
  async remove(path: string): Promise<void> {
    const client = this.usable();
    try {
      await zkOp<void>(`delete ${path}`, this.options.opTimeoutMs, (done) => client.remove(path, done));
    } catch (err) {
      if (!isZkError(err, 'NO_NODE')) throw err;
    }
  }

  /** Creates all nodes atomically (ZooKeeper multi); fails with the first failing node's exception. */
  async createAll(nodes: readonly { path: string; data: Buffer }[]): Promise<void> {
    const client = this.usable();
    const tx = client.transaction();
    for (const node of nodes) tx.create(node.path, node.data, CreateMode.PERSISTENT);
    // The library reports the first failing operation's exception (NODE_EXISTS on a lost race).
    await zkOp<unknown>(`multi create ${nodes.map((n) => n.path).join(' ')}`, this.options.opTimeoutMs, (done) => tx.commit(done));
  }

  /** The current session id as ZooKeeper stores it in `Stat.ephemeralOwner`. */
  ownsEphemeral(stat: ZkStat): boolean {
    return Buffer.compare(stat.ephemeralOwner, this.client.getSessionId()) === 0;
  }

  // ---- ephemeral nodes that survive expiry ----

  /**
   * Creates an ephemeral node (parents persistent as needed) and re-creates it after every session
   * expiry until removeEphemeral()/close(). A node already owned by this session counts as created; one
   * owned by another session is replaced or makes this fail with `conflict`, per `onForeignOwner`.
   */
  async createEphemeral(
    path: string,
    data: Buffer,
    options: { onForeignOwner: ForeignOwnerPolicy; conflict?: () => FscError; onLost?: (err: FscError) => void },
  ): Promise<void> {
    const entry: EphemeralEntry = { path, data, onForeignOwner: options.onForeignOwner, onLost: options.onLost };
    this.ephemerals.set(path, entry);
    try {
      const created = await this.ensureEphemeral(entry);
      if (!created) throw options.conflict?.() ?? new FscError('REGISTRY_UNAVAILABLE', `${path} is owned by another session`, { zk: 'NODE_EXISTS' });
    } catch (err) {
      if (this.ephemerals.get(path) === entry) this.ephemerals.delete(path);
      // A create that timed out while disconnected is still queued in the client and may run after the
      // reconnect; queue a delete behind it. Only for nodes no one else may own ('replace'): a delete is
      // not owner-checked, so it must never hit another session's lease.
      if (options.onForeignOwner === 'replace' && isZkError(err, 'TIMEOUT')) void this.remove(path).catch(() => {});
      throw err;
    }
  }

  /** Stops re-creating the node and deletes it. */
  async removeEphemeral(path: string): Promise<void> {
    this.ephemerals.delete(path);
    await this.remove(path);
  }

  /** False when the node exists under another session and the policy says give up. */
  private async ensureEphemeral(entry: EphemeralEntry): Promise<boolean> {
    const parent = entry.path.slice(0, entry.path.lastIndexOf('/'));
    if (parent !== '') await this.mkdirp(parent);
    for (let attempt = 0; attempt < 3; attempt++) {
      const client = this.usable();
      try {
        await zkOp<string>(`create ${entry.path}`, this.options.opTimeoutMs, (done) =>
          client.create(entry.path, entry.data, CreateMode.EPHEMERAL, done),
        );
        return true;
      } catch (err) {
        if (!isZkError(err, 'NODE_EXISTS')) throw err;
      }
      const stat = await this.exists(entry.path);
      if (stat === undefined) continue; // gone meanwhile: create again
      if (this.ownsEphemeral(stat)) return true;
      if (entry.onForeignOwner === 'give-up') return false;
      await this.remove(entry.path);
    }
    throw new FscError('REGISTRY_UNAVAILABLE', `${entry.path} keeps reappearing under another session`);
  }

  // ---- child watches that survive expiry ----

  /**
   * Calls `listener` with the children of `path` (created persistent if missing) now and after every
   * change, until the returned function is called. Transient failures are retried every 500 ms.
   */
  watchChildren(path: string, listener: (children: string[]) => void): () => void {
    const watch: ChildWatch = {
      path,
      listener,
      active: true,
      issued: 0,
      applied: 0,
      watcherGeneration: -1,
      watcher: undefined,
      retryTimer: undefined,
    };
    this.watches.add(watch);
    void this.fetchChildren(watch);
    return () => {
      watch.active = false;
      clearTimeout(watch.retryTimer);
      this.watches.delete(watch);
    };
  }

  private async fetchChildren(watch: ChildWatch): Promise<void> {
    if (!watch.active || this.state !== 'open') return;
    clearTimeout(watch.retryTimer);
    watch.retryTimer = undefined;
    const generation = this.generation;
    const client = this.client;
    if (watch.watcherGeneration !== generation) {
      watch.watcherGeneration = generation;
      watch.watcher = () => {
        if (generation === this.generation) void this.fetchChildren(watch);
      };
    }
    const watcher = watch.watcher as (event: ZkEvent) => void;
    const seq = ++watch.issued;
    try {
      let children: string[];
      try {
        children = await zkOp<string[]>(`watch ${watch.path}`, this.options.opTimeoutMs, (done) => client.getChildren(watch.path, watcher, done));
      } catch (err) {
        if (!isZkError(err, 'NO_NODE')) throw err;
        await this.mkdirp(watch.path);
        children = await zkOp<string[]>(`watch ${watch.path}`, this.options.opTimeoutMs, (done) => client.getChildren(watch.path, watcher, done));
      }
      if (!watch.active || generation !== this.generation || seq <= watch.applied) return;
      watch.applied = seq;
      try {
        watch.listener(children);
      } catch (err) {
        this.logger?.error({ err, path: watch.path }, 'zookeeper child watch listener failed');
      }
    } catch (err) {
      if (!watch.active || generation !== this.generation || this.state !== 'open') return;
      this.logger?.warn({ err, path: watch.path }, 'zookeeper child watch failed; retrying');
      watch.retryTimer = setTimeout(() => void this.fetchChildren(watch), WATCH_RETRY_MS);
      watch.retryTimer.unref();
    }
  }

  // ---- expiry and renewal ----

  private attach(client: ZkClient): void {
    client.once('expired', () => this.onExpired(client));
  }

  private onExpired(client: ZkClient): void {
    if (client !== this.client || this.state !== 'open') return;
    this.generation++;
    this.state = 'renewing';
    clearTimeout(this.restoreTimer);
    this.logger?.warn({ ephemerals: this.ephemerals.size, watches: this.watches.size }, 'zookeeper session expired; opening a new one');
    void closeClient(client, 100);
    void this.renew();
  }

  private async renew(): Promise<void> {
    let delay = 200;
    while (this.state === 'renewing') {
      try {
        const client = await connectClient(this.options);
        if (this.state !== 'renewing') {
          await closeClient(client, this.options.opTimeoutMs);
          return;
        }
        this.client = client;
        this.attach(client);
        this.state = 'open';
        this.logger?.info({ generation: this.generation }, 'zookeeper session renewed');
        await this.restore(this.generation);
        return;
      } catch (err) {
        this.logger?.warn({ err, retryInMs: delay }, 'zookeeper session renewal failed');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.renewWake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.renewWake = undefined;
        delay = Math.min(delay * 2, this.options.renewBackoffMaxMs);
      }
    }
  }

  /** Re-creates the ephemerals and re-arms the watches of a new session; retried until it succeeds. */
  private async restore(generation: number): Promise<void> {
    if (generation !== this.generation || this.state !== 'open') return;
    let failed = false;
    for (const entry of [...this.ephemerals.values()]) {
      try {
        const created = await this.ensureEphemeral(entry);
        if (!created) {
          this.ephemerals.delete(entry.path);
          const err = new FscError('REGISTRY_UNAVAILABLE', `${entry.path} was taken by another session while ours had expired`);
          this.logger?.error({ path: entry.path }, err.message);
          entry.onLost?.(err);
        }
      } catch (err) {
        if (generation !== this.generation) return;
        failed = true;
        this.logger?.warn({ err, path: entry.path }, 'zookeeper: re-creating an ephemeral node failed');
      }
    }
    for (const watch of this.watches) void this.fetchChildren(watch);
    if (failed) {
      this.restoreTimer = setTimeout(() => void this.restore(generation), WATCH_RETRY_MS);
      this.restoreTimer.unref();
      return;
    }
    for (const listener of this.renewListeners) listener();
  }

  /** Ends the session: ephemeral nodes disappear at once. Bounded by opTimeoutMs. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.restoreTimer);
    this.renewWake?.();
    for (const watch of this.watches) {
      watch.active = false;
      clearTimeout(watch.retryTimer);
    }
    this.watches.clear();
    this.ephemerals.clear();
    this.renewListeners.clear();
    await closeClient(this.client, this.options.opTimeoutMs);
  }

  private usable(): ZkClient {
    if (this.state === 'closed') throw new FscError('SHUTTING_DOWN', 'zookeeper session closed');
    if (this.state === 'renewing') throw new FscError('REGISTRY_UNAVAILABLE', 'zookeeper session expired; renewing', { zk: 'SESSION_EXPIRED' });
    return this.client;
  }
}

function withDefaults(options: ZkSessionOptions): Required<Omit<ZkSessionOptions, 'logger'>> {
  return {
    connect: options.connect,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 15_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    opTimeoutMs: options.opTimeoutMs ?? 5_000,
    renewBackoffMaxMs: options.renewBackoffMaxMs ?? 5_000,
  };
}
