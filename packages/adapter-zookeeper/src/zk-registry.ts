import { FscError, type Logger } from '@fscpush/core';
import { createBalanceStrategy } from './balance/index.ts';
import type { ConsumeOptions, ProvideOptions, ServiceRegistry } from '@fscpush/ports';
import { ServiceInvoker } from './service-invoker.ts';
import { ConnectionPool } from './wire/connection-pool.ts';
import { RpcServer } from './wire/rpc-server.ts';
import { assertServiceName, DEFAULT_WEIGHT, formatProviderUrl, methodNames, providerZnode, type ProviderEntry } from './zk/dubbo-url.ts';
import { ProviderDirectory } from './zk/provider-directory.ts';
import { ZkSession, type ZkSessionOptions } from './zk/zk-session.ts';

export interface ZkRegistryOptions {
  /** Connection settings (this registry opens and closes its own session) or a shared open session. */
  zookeeper: ZkSessionOptions | ZkSession;
  /** This process's node id, published as `node=` and returned by providers(). */
  nodeId: string;
  /** Dubbo `application=` (default 'fscpush'). */
  application?: string;
  /** Address other hosts reach this process at, published in provider URLs (FShareChat's `dubbo.protocol.host`; default 127.0.0.1). */
  host?: string;
  /** Address the listener binds (default: `host`); e.g. 0.0.0.0 while `host` names the public interface. */
  bindHost?: string;
  /** Listener port (FShareChat's `dubbo.protocol.port`); 0 = any free port (default). The URL carries the bound one. */
  port?: number;
  /** ZooKeeper root of the Dubbo layout (default '/dubbo'). */
  root?: string;
  /** Default per-attempt call timeout (default 5 000 ms); ConsumeOptions.timeoutMs overrides it. */
  callTimeoutMs?: number;
  /** Extra attempts after the first, on other providers, when the retry rule allows (default 2). */
  retries?: number;
  /** How long a call waits for a provider to appear before RPC_NO_PROVIDER (default 3 000 ms, at most the call timeout). */
  noProviderWaitMs?: number;
  /** TCP connect bound to a provider (default 3 000 ms). */
  connectTimeoutMs?: number;
  /** Largest frame either way (default 4 MiB); larger calls fail INVALID_DATA, larger incoming frames close the connection. */
  maxFrameBytes?: number;
  /** Unanswered calls per connection, both directions (default 1 000); more wait (consumer) or are rejected (provider). */
  maxInFlightPerConnection?: number;
  /** close(): how long running calls may take to finish (default 10 000 ms). */
  drainTimeoutMs?: number;
  /** When a provider's znode disappears, how long it has to answer a ping before its in-flight calls fail (default 1 000 ms). */
  leaveProbeTimeoutMs?: number;
  /** After a connection failed or dropped, other providers are preferred for this long (default 1 000 ms). */
  unhealthyMs?: number;
  logger?: Logger;
}

type Settings = Required<Omit<ZkRegistryOptions, 'zookeeper' | 'logger' | 'bindHost'>> & { bindHost: string };

interface Registration {
  znode: string;
  url: string;
}

/**
 * ServiceRegistry over ZooKeeper (Dubbo layout) with calls over one multiplexed TCP connection per
 * provider address. See rpc/index.ts for the guarantees; in addition:
 * - Registrations are EPHEMERAL and re-created after a session expiry; consumers keep their last known
 *   provider list while ZooKeeper is unreachable or the session is being renewed.
 * - A provider whose znode disappears gets a ping; if it does not answer within leaveProbeTimeoutMs,
 *   its in-flight calls fail with RPC_NO_PROVIDER (then retried per the retry rule). A closed connection
 *   fails them at once. A provider that answers (draining, or re-registering) finishes them.
 * - close(): delete registrations → refuse new calls (SHUTTING_DOWN, safe to retry elsewhere) → drain
 *   running calls (bounded) → close connections and the ZooKeeper session.
 */
export class ZkRegistry implements ServiceRegistry {
  private readonly settings: Settings;
  private readonly logger: Logger | undefined;
  private readonly session: ZkSession;
  private readonly ownsSession: boolean;
  private readonly server: RpcServer;
  private readonly pool: ConnectionPool;
  private readonly directories = new Map<string, ProviderDirectory>();
  private readonly registrations = new Map<string, Registration>();
  private listening: Promise<number> | undefined;
  private state: 'open' | 'draining' | 'closed' = 'open';
  private closing: Promise<void> | undefined;

  constructor(settings: Settings, session: ZkSession, ownsSession: boolean, logger: Logger | undefined) {
    this.settings = settings;
    this.session = session;
    this.ownsSession = ownsSession;
    this.logger = logger;
    this.server = new RpcServer({
      host: settings.bindHost,
      port: settings.port,
      maxFrameBytes: settings.maxFrameBytes,
      maxInFlightPerConnection: settings.maxInFlightPerConnection,
      logger,
    });
    this.pool = new ConnectionPool({
      connectTimeoutMs: settings.connectTimeoutMs,
      maxFrameBytes: settings.maxFrameBytes,
      maxInFlightPerConnection: settings.maxInFlightPerConnection,
      unhealthyMs: settings.unhealthyMs,
      logger,
    });
  }

  /** The listener's bound port (after the first provide()), e.g. when configured with port 0. */
  async port(): Promise<number> {
    return this.listen();
  }

  /** The ZooKeeper session (tests force its expiry; a NodeIdAllocator may share it). */
  get zookeeper(): ZkSession {
    return this.session;
  }

  async provide(service: string, impl: object, options?: ProvideOptions): Promise<void> {
    if (this.state !== 'open') throw new FscError('SHUTTING_DOWN', 'registry is closing');
    assertServiceName(service);
    const port = await this.listen();
    const provider = {
      host: this.settings.host,
      port,
      service,
      application: this.settings.application,
      nodeId: this.settings.nodeId,
      weight: options?.weight ?? DEFAULT_WEIGHT,
      pid: process.pid,
      timestamp: Date.now(),
      methods: methodNames(impl),
    };
    const registration = { znode: providerZnode(this.settings.root, provider), url: formatProviderUrl(provider) };
    const previous = this.registrations.get(service);
    this.server.provide(service, impl);
    try {
      await this.session.createEphemeral(registration.znode, Buffer.from(registration.url), { onForeignOwner: 'replace' });
    } catch (err) {
      if (previous === undefined) this.server.withdraw(service);
      throw err;
    }
    this.registrations.set(service, registration);
    if (previous !== undefined && previous.znode !== registration.znode) await this.session.removeEphemeral(previous.znode);
  }

  consume<T extends object>(service: string, options?: ConsumeOptions): T {
    assertServiceName(service);
    const timeoutMs = options?.timeoutMs ?? this.settings.callTimeoutMs;
    const invoker = new ServiceInvoker(
      {
        service,
        timeoutMs,
        maxAttempts: 1 + Math.max(0, this.settings.retries),
        noProviderWaitMs: Math.min(this.settings.noProviderWaitMs, timeoutMs),
        idempotent: new Set(options?.idempotent ?? []),
        strategy: createBalanceStrategy(options?.balance),
        routeKey: options?.routeKey,
      },
      { pool: this.pool, directory: this.directory(service), closed: () => this.state === 'closed' },
    );
    const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    return new Proxy({} as T, {
      get: (_target, method) => {
        if (typeof method !== 'string' || method === 'then') return undefined;
        let fn = methods.get(method);
        if (fn === undefined) {
          fn = (...args: unknown[]) => invoker.invoke(method, args);
          methods.set(method, fn);
        }
        return fn;
      },
    });
  }

  providers(service: string): string[] {
    if (this.state === 'closed') return [];
    return this.directory(service).nodeIds();
  }

  watchProviders(service: string, listener: (nodes: string[]) => void): () => void {
    const directory = this.directory(service);
    listener(directory.nodeIds());
    return directory.subscribe(() => listener(directory.nodeIds()));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.state = 'draining';
    // 1. Leave the directory first, so consumers stop choosing this process.
    await Promise.all(
      [...this.registrations.values()].map((r) =>
        this.session.removeEphemeral(r.znode).catch((err: unknown) => this.logger?.warn({ err, znode: r.znode }, 'rpc: deregistration failed')),
      ),
    );
    this.registrations.clear();
    // 2. Refuse new calls (SHUTTING_DOWN, not run) and tell connected consumers; 3. let running ones finish.
    this.server.startDraining();
    const left = await this.server.drain(this.settings.drainTimeoutMs);
    if (left > 0) this.logger?.warn({ calls: left }, 'rpc: drain timed out; abandoning running calls');
    // 4. Close everything.
    this.state = 'closed';
    await this.server.close();
    this.pool.closeAll(new FscError('SHUTTING_DOWN', 'registry closed'));
    for (const directory of this.directories.values()) directory.stop();
    this.directories.clear();
    if (this.ownsSession) await this.session.close();
  }

  private listen(): Promise<number> {
    this.listening ??= this.server.listen();
    return this.listening;
  }

  private directory(service: string): ProviderDirectory {
    let directory = this.directories.get(service);
    if (directory === undefined) {
      directory = new ProviderDirectory(this.session, this.settings.root, service, (removed) => this.onProvidersRemoved(service, removed));
      if (this.state !== 'closed') this.directories.set(service, directory);
      else directory.stop();
    }
    return directory;
  }

  /**
   * A provider's znode went away. If its address still serves the service (re-registered under a new
   * URL) nothing changes. Otherwise, if it does not answer a ping, its connection is dropped (in-flight
   * calls fail RPC_NO_PROVIDER now rather than at their timeout); and once no directory lists the
   * address, its connection closes when idle.
   */
  private onProvidersRemoved(service: string, removed: readonly ProviderEntry[]): void {
    const directory = this.directories.get(service);
    for (const entry of removed) {
      if (directory?.list().some((e) => e.address === entry.address)) continue;
      void this.pool.probe(entry.address, this.settings.leaveProbeTimeoutMs).then((alive) => {
        if (!alive) {
          this.logger?.warn({ service, provider: entry.address }, 'rpc: provider left and does not answer; failing its calls');
          this.pool.drop(entry.address, new FscError('RPC_NO_PROVIDER', `provider ${entry.address} of ${service} left`));
        }
        if (![...this.directories.values()].some((d) => d.list().some((e) => e.address === entry.address))) this.pool.retire(entry.address);
      });
    }
  }
}

/** Opens the ZooKeeper session (unless one is given) and returns the registry; nothing listens until the first provide(). */
export async function createZkRegistry(options: ZkRegistryOptions): Promise<ZkRegistry> {
  const settings = settingsFrom(options);
  const shared = options.zookeeper instanceof ZkSession;
  const session = options.zookeeper instanceof ZkSession ? options.zookeeper : await ZkSession.open({ logger: options.logger, ...options.zookeeper });
  return new ZkRegistry(settings, session, !shared, options.logger);
}

function settingsFrom(options: ZkRegistryOptions): Settings {
  const host = options.host ?? '127.0.0.1';
  if (host === '0.0.0.0' || host === '::' || host === '') {
    throw new FscError('CONFIG_INVALID', `rpc host "${host}" is not an address other hosts can reach; set it and use bindHost for the wildcard`);
  }
  const root = options.root ?? '/dubbo';
  if (!/^(\/[^/]+)+$/.test(root)) throw new FscError('CONFIG_INVALID', `rpc root "${root}" must be an absolute ZooKeeper path`);
  if (options.nodeId === '') throw new FscError('CONFIG_INVALID', 'rpc nodeId must not be empty');
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v <= 0) throw new FscError('CONFIG_INVALID', `rpc ${name} must be a positive number, got ${v}`);
    return v;
  };
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FscError('CONFIG_INVALID', `rpc port ${port} is out of range`);
  const retries = options.retries ?? 2;
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw new FscError('CONFIG_INVALID', `rpc retries must be 0–10, got ${retries}`);
  return {
    nodeId: options.nodeId,
    application: options.application ?? 'fscpush',
    host,
    bindHost: options.bindHost ?? host,
    port,
    root,
    retries,
    callTimeoutMs: positive('callTimeoutMs', options.callTimeoutMs, 5_000),
    noProviderWaitMs: options.noProviderWaitMs ?? 3_000,
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, 3_000),
    maxFrameBytes: positive('maxFrameBytes', options.maxFrameBytes, 4 * 1024 * 1024),
    maxInFlightPerConnection: positive('maxInFlightPerConnection', options.maxInFlightPerConnection, 1_000),
    drainTimeoutMs: positive('drainTimeoutMs', options.drainTimeoutMs, 10_000),
    leaveProbeTimeoutMs: positive('leaveProbeTimeoutMs', options.leaveProbeTimeoutMs, 1_000),
    unhealthyMs: options.unhealthyMs ?? 1_000,
  };
}
