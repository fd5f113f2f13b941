import { FscError, asFscError } from '@fscpush/core';
import type { ConsumeOptions, ProvideOptions, ServiceRegistry } from '@fscpush/ports';

export interface InProcessRegistryOptions {
  nodeId: string;
  /**
   * Pass arguments and results through JSON as the network would, so code that works here
   * cannot depend on sharing objects with the provider. On in tests, off in production.
   */
  copyValues?: boolean;
}

/**
 * Embedded registry: providers live in this process; calls are direct method calls. A service may have
 * several providers, each under its node (this registry's own, or a worker thread's, e.g. one per
 * connector thread); calls go to them in turn.
 */
export class InProcessRegistry implements ServiceRegistry {
  private readonly services = new Map<string, Map<string, object>>();
  private turn = 0;
  private readonly watchers = new Map<string, Set<(nodes: string[]) => void>>();
  private readonly options: InProcessRegistryOptions;
  private closed = false;

  constructor(options: InProcessRegistryOptions) {
    this.options = options;
  }

  async provide(service: string, impl: object, options?: ProvideOptions): Promise<void> {
    if (this.closed) throw new FscError('SHUTTING_DOWN');
    let byNode = this.services.get(service);
    if (!byNode) this.services.set(service, (byNode = new Map()));
    byNode.set(options?.node ?? this.options.nodeId, impl);
    this.tell(service);
  }

  /** Takes a node's provider of a service back (it stopped, e.g. a worker thread that died); watchers are told. */
  async withdraw(service: string, node: string = this.options.nodeId): Promise<void> {
    const byNode = this.services.get(service);
    if (!byNode?.delete(node)) return;
    if (byNode.size === 0) this.services.delete(service);
    this.tell(service);
  }

  consume<T extends object>(service: string, _options?: ConsumeOptions): T {
    const copy = this.options.copyValues === true ? (v: unknown) => (v === undefined ? v : JSON.parse(JSON.stringify(v))) : (v: unknown) => v;
    return new Proxy({} as T, {
      get: (_target, method) => {
        if (typeof method !== 'string' || method === 'then') return undefined;
        return async (...args: unknown[]) => {
          const impl = this.pick(service) as Record<string, unknown> | undefined;
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
    return [...(this.services.get(service)?.keys() ?? [])];
  }

  private pick(service: string): object | undefined {
    const byNode = this.services.get(service);
    if (!byNode || byNode.size === 0) return undefined;
    this.turn = (this.turn + 1) % byNode.size;
    let i = 0;
    for (const impl of byNode.values()) if (i++ === this.turn) return impl;
    return undefined;
  }

  private tell(service: string): void {
    for (const listener of this.watchers.get(service) ?? []) listener(this.providers(service));
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
