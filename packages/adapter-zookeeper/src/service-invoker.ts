import { FscError } from '@fscpush/core';
import type { BalanceStrategy } from './balance/index.ts';
import { mayRetry } from './retry-rule.ts';
import type { ConnectionPool } from './wire/connection-pool.ts';
import type { AttemptResult } from './wire/provider-connection.ts';
import { serializeArgs } from './wire/serialize-args.ts';
import type { ProviderEntry } from './zk/dubbo-url.ts';
import type { ProviderDirectory } from './zk/provider-directory.ts';

export interface InvokerSettings {
  service: string;
  /** Bound on each attempt (connect + queue + answer). */
  timeoutMs: number;
  /** Attempts per call, first included. */
  maxAttempts: number;
  /** How long a call waits for a provider (one it has not tried yet) to appear. */
  noProviderWaitMs: number;
  idempotent: ReadonlySet<string>;
  strategy: BalanceStrategy;
  routeKey?: ((method: string, args: readonly unknown[]) => string | undefined) | undefined;
}

export interface InvokerHost {
  pool: ConnectionPool;
  directory: ProviderDirectory;
  /** True once the registry is closed: no new attempts. */
  closed(): boolean;
}

/** Runs one consumer-side call: pick a provider, send, and retry elsewhere when the retry rule allows. */
export class ServiceInvoker {
  private readonly settings: InvokerSettings;
  private readonly host: InvokerHost;

  constructor(settings: InvokerSettings, host: InvokerHost) {
    this.settings = settings;
    this.host = host;
  }

  async invoke(method: string, args: readonly unknown[]): Promise<unknown> {
    const argsJson = serializeArgs(args); // INVALID_DATA before any provider sees the call
    const idempotent = this.settings.idempotent.has(method);
    const tried = new Set<string>();
    let last: (AttemptResult & { ok: false }) | undefined;
    for (let attempt = 0; attempt < this.settings.maxAttempts; attempt++) {
      const provider = await this.pick(method, args, tried);
      if (provider === undefined) break;
      tried.add(provider.address);
      const connection = this.host.pool.get(provider.host, provider.port, provider.address);
      const result = await connection.call(this.settings.service, method, argsJson, this.settings.timeoutMs);
      if (result.ok) return result.value;
      last = result;
      if (!mayRetry(result.outcome, idempotent)) break;
    }
    if (this.host.closed()) throw new FscError('SHUTTING_DOWN', 'registry closed');
    if (last !== undefined) throw last.error;
    throw new FscError('RPC_NO_PROVIDER', `no provider for ${this.settings.service}`);
  }

  /** A provider not tried yet for this call, waiting (bounded) for one to appear; undefined if none. */
  private async pick(method: string, args: readonly unknown[], tried: ReadonlySet<string>): Promise<ProviderEntry | undefined> {
    const { directory, pool } = this.host;
    const key = this.settings.routeKey?.(method, args);
    const waitUntil = Date.now() + this.settings.noProviderWaitMs;
    for (;;) {
      if (this.host.closed()) return undefined;
      const untried = new Map<string, ProviderEntry>();
      for (const entry of directory.list()) if (!tried.has(entry.address)) untried.set(entry.address, entry);
      if (untried.size > 0) {
        const all = [...untried.values()];
        const preferred = all.filter((e) => pool.isPreferred(e.address));
        const candidates = (preferred.length > 0 ? preferred : all).map((e) => ({
          address: e.address,
          nodeId: e.nodeId,
          weight: e.weight,
          active: pool.active(e.address),
        }));
        const chosen = this.settings.strategy.select(candidates, args, key);
        return untried.get(chosen.address);
      }
      const remaining = waitUntil - Date.now();
      if (remaining <= 0) return undefined;
      await directory.nextChange(remaining);
    }
  }
}
