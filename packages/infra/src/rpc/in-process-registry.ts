import { FscError, asFscError } from '@fscpush/core';
import type { ConsumeOptions, ServiceRegistry } from './index.ts';

export interface InProcessRegistryOptions {
  nodeId: string;
  /**
   * Pass arguments and results through JSON as the network would, so code that works here
   * cannot depend on sharing objects with the provider. On in tests, off in production.
   */
  copyValues?: boolean;
}

/** Embedded registry: providers live in this process; calls are direct method calls. */
export class InProcessRegistry implements ServiceRegistry {
  private readonly services = new Map<string, object>();
  private readonly watchers = new Map<string, Set<(nodes: string[]) => void>>();
  private readonly options: InProcessRegistryOptions;
  private closed = false;

  constructor(options: InProcessRegistryOptions) {
    this.options = options;
  }

  async provide(service: string, impl: object): Promise<void> {
    if (this.closed) throw new FscError('SHUTTING_DOWN');
    this.services.set(service, impl);
    for (const listener of this.watchers.get(service) ?? []) listener(this.providers(service));
  }

  /** Takes a service back (its provider stopped, e.g. a worker thread that died); watchers are told. */
  async withdraw(service: string): Promise<void> {
    if (!this.services.delete(service)) return;
    for (const listener of this.watchers.get(service) ?? []) listener(this.providers(service));
  }

  consume<T extends object>(service: string, _options?: ConsumeOptions): T {
    const copy = this.options.copyValues === true ? (v: unknown) => (v === undefined ? v : JSON.parse(JSON.stringify(v))) : (v: unknown) => v;
    return new Proxy({} as T, {
      get: (_target, method) => {
        if (typeof method !== 'string' || method === 'then') return undefined;
        return async (...args: unknown[]) => {
          const impl = this.services.get(service) as Record<string, unknown> | undefined;
          if (!impl || this.closed) throw new FscError('RPC_NO_PROVIDER', `no provider for ${service}`);
          const fn = impl[method];
          if (typeof fn !== 'function') throw new FscError('NOT_IMPLEMENTED', `${service}.${method} does not exist`);
          try {
            return copy(await fn.apply(impl, args.map(copy)));
          } catch (err) {
            throw asFscError(err);
          }
        };
      },
    });
  }

  providers(service: string): string[] {
    return this.services.has(service) ? [this.options.nodeId] : [];
  }

  /** Calls the listener now and whenever a provider of the service appears (a watch may start before provide). */
  watchProviders(service: string, listener: (nodes: string[]) => void): () => void {
    let set = this.watchers.get(service);
    if (!set) this.watchers.set(service, (set = new Set()));
    set.add(listener);
    listener(this.providers(service));
    return () => {
      set.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const gone = [...this.services.keys()];
    this.services.clear();
    for (const service of gone) for (const listener of this.watchers.get(service) ?? []) listener([]);
    this.watchers.clear();
  }
}
