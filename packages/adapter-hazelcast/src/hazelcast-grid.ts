import { Client, ReconnectMode, type ClientConfig, type IMap } from 'hazelcast-client';
import { FscError, type Logger } from '@fscpush/core';
import type { GridMap, SharedGrid } from '@fscpush/ports';
import { HazelcastGridMap } from './hazelcast-grid-map.ts';
import { hazelcastLogger } from './hazelcast-log.ts';
import { resolveHazelcastGridOptions, type HazelcastGridOptions, type ResolvedHazelcastGridOptions } from './hazelcast-grid-options.ts';

export type { HazelcastGridOptions } from './hazelcast-grid-options.ts';

type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'closed';

/**
 * Connects to a Hazelcast cluster (5.x, Community: plain IMaps only, no CP structures) and returns the
 * shared grid on it. Fails with GRID_UNAVAILABLE when no member answers within `connectTimeoutMs`, with
 * CONFIG_INVALID for bad options.
 */
export async function createHazelcastGrid(options: HazelcastGridOptions): Promise<HazelcastGrid> {
  const resolved = resolveHazelcastGridOptions(options);
  const grid = new HazelcastGrid(resolved);
  await grid.start();
  return grid;
}

/**
 * The SharedGrid on Hazelcast: grid map `name` is IMap `<mapPrefix><name>` of JSON strings (grid-entry.ts),
 * entries expire by their TTL (to the millisecond for readers; the member deletes them within about a
 * second after). After the first connection the client reconnects on its own for as long as it runs;
 * while no member is reachable every call fails with GRID_UNAVAILABLE (retriable) within
 * `operationTimeoutMs` instead of hanging.
 */
export class HazelcastGrid implements SharedGrid {
  private readonly options: ResolvedHazelcastGridOptions;
  private readonly log: Logger | undefined;
  private readonly maps = new Map<string, HazelcastGridMap<unknown>>();
  private client: Client | undefined;
  private state: ConnectionState = 'connecting';
  private closing: Promise<void> | undefined;
  private onConnected: (() => void) | undefined;

  constructor(options: ResolvedHazelcastGridOptions) {
    this.options = options;
    this.log = options.log?.child({ component: 'grid' });
  }

  /** Whether a member is reachable right now (calls made while not connected fail after operationTimeoutMs). */
  get connected(): boolean {
    return this.state === 'connected';
  }

  /** @internal used by createHazelcastGrid */
  async start(): Promise<void> {
    const { connectTimeoutMs, clusterName, members } = this.options;
    const connected = new Promise<void>((resolve) => {
      this.onConnected = resolve;
    });
    // asyncStart: newHazelcastClient returns at once and connects in the background, so the wait below is
    // ours to bound; clusterConnectTimeoutMillis -1 then means "reconnect for as long as the client runs".
    try {
      this.client = await Client.newHazelcastClient(this.clientConfig());
    } catch (err) {
      throw new FscError('GRID_UNAVAILABLE', `the Hazelcast client did not start (${err instanceof Error ? err.name : typeof err})`, { clusterName, members }, { cause: err });
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), connectTimeoutMs);
    });
    const outcome = await Promise.race([connected, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await this.close();
      throw new FscError('GRID_UNAVAILABLE', `no Hazelcast member of cluster "${clusterName}" answered within ${connectTimeoutMs} ms`, {
        clusterName,
        members,
        connectTimeoutMs,
      });
    }
    this.log?.info({ clusterName, members }, 'connected to the Hazelcast cluster');
  }

  map<V>(name: string): GridMap<V> {
    let map = this.maps.get(name);
    if (!map) {
      const fullName = this.options.mapPrefix + name;
      map = new HazelcastGridMap<unknown>({
        name: fullName,
        updateTimeoutMs: this.options.updateTimeoutMs,
        call: (op, fn) => this.call(fullName, op, fn),
      });
      this.maps.set(name, map);
    }
    return map as GridMap<V>;
  }

  /** Idempotent; bounded by closeTimeoutMs. Calls afterwards fail with SHUTTING_DOWN. */
  close(): Promise<void> {
    this.closing ??= this.shutdownClient();
    return this.closing;
  }

  private async shutdownClient(): Promise<void> {
    this.state = 'closed';
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log?.warn({ closeTimeoutMs: this.options.closeTimeoutMs }, 'Hazelcast client did not shut down in time');
        resolve();
      }, this.options.closeTimeoutMs);
    });
    await Promise.race([client.shutdown().catch((err: unknown) => this.log?.warn({ err }, 'Hazelcast client shutdown failed')), timedOut]);
    clearTimeout(timer);
  }

  /** One call on an IMap: refused after close, bounded by operationTimeoutMs, failures as GRID_UNAVAILABLE. */
  private async call<T>(mapName: string, op: string, fn: (map: IMap<string, string>) => Promise<T>): Promise<T> {
    const client = this.client;
    if (this.state === 'closed' || !client) throw new FscError('SHUTTING_DOWN', 'the grid is closed');
    const ms = this.options.operationTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FscError('GRID_UNAVAILABLE', `grid ${op}: no answer within ${ms} ms`, { map: mapName, op, timeoutMs: ms })), ms);
    });
    try {
      return await Promise.race([client.getMap<string, string>(mapName).then(fn), timedOut]);
    } catch (err) {
      if (err instanceof FscError) throw err;
      if (this.isClosed()) throw new FscError('SHUTTING_DOWN', 'the grid is closed', undefined, { cause: err });
      const name = err instanceof Error ? err.name : typeof err;
      throw new FscError('GRID_UNAVAILABLE', `grid ${op} failed (${name}; ${this.state})`, { map: mapName, op }, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private onLifecycle(state: string): void {
    if (state === 'CONNECTED') {
      if (this.state === 'disconnected') this.log?.info('reconnected to the Hazelcast cluster');
      if (this.state !== 'closed') this.state = 'connected';
      this.onConnected?.();
    } else if (state === 'DISCONNECTED') {
      if (this.state !== 'closed') {
        this.state = 'disconnected';
        this.log?.warn('lost the Hazelcast cluster; reconnecting (grid calls fail meanwhile)');
      }
    } else if (state === 'SHUTDOWN' && this.state !== 'closed') {
      this.state = 'closed';
      this.log?.error('the Hazelcast client shut down on its own; the grid is unusable');
    }
  }

  private clientConfig(): ClientConfig {
    const o = this.options;
    return {
      clusterName: o.clusterName,
      ...(o.clientName !== undefined && { instanceName: o.clientName }),
      network: { clusterMembers: [...o.members], connectionTimeout: Math.min(o.connectTimeoutMs, 5000), redoOperation: false },
      connectionStrategy: {
        asyncStart: true,
        reconnectMode: ReconnectMode.ON,
        connectionRetry: {
          clusterConnectTimeoutMillis: -1,
          initialBackoffMillis: 100,
          maxBackoffMillis: o.reconnectMaxBackoffMs,
          multiplier: 2,
          jitter: 0.2,
        },
      },
      lifecycleListeners: [(state) => this.onLifecycle(state)],
      customLogger: hazelcastLogger(o.log),
      properties: {
        'hazelcast.client.invocation.timeout.millis': o.operationTimeoutMs,
        'hazelcast.client.invocation.retry.pause.millis': 250,
        'hazelcast.client.heartbeat.timeout': o.heartbeatTimeoutMs,
        'hazelcast.client.heartbeat.interval': Math.min(5000, Math.max(1000, Math.floor(o.heartbeatTimeoutMs / 3))),
      },
    };
  }
}
