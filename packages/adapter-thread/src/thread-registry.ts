import { FscError, asFscError } from '@fscpush/core';
import type { ConsumeOptions, ServiceRegistry } from '@fscpush/ports';
import type { PortLink } from './port-link.ts';
import { providerMethodNames } from '@fscpush/ports';
import { argsText, fromJsonText, toJsonText, type CallPayload, type InvokePayload, type ProvidePayload, type ProvidersNote } from './thread-messages.ts';

export interface SideRoute {
  link: PortLink;
  calls: ReadonlySet<string>;
}

/**
 * The embedded registry as seen from a worker thread: services live on the thread that serves the link
 * (`serveThreadBridge`); calls cross it as JSON text, as they would cross the network, so code that
 * works here does not depend on sharing objects. Services provided here are registered there under the
 * same names and withdrawn when this registry closes or the thread dies.
 */
export class ThreadRegistry implements ServiceRegistry {
  private readonly link: PortLink;
  private readonly provided = new Map<string, object>();
  private readonly known = new Map<string, string[]>();
  private readonly listeners = new Map<string, Set<(nodes: string[]) => void>>();
  private closed = false;
  private readonly node: string | undefined;
  private readonly side: SideRoute | undefined;

  /**
   * `node`: the name this thread's services are registered under (several threads may provide one service).
   * `side`: calls (`service.method`) another thread answers over its own link; while that link is closed
   * they go the usual way.
   */
  constructor(link: PortLink, node?: string, side?: SideRoute) {
    this.link = link;
    this.node = node;
    this.side = side;
    link.handle<InvokePayload>('invoke', (p) => this.invoke(p));
    link.handle<ProvidersNote>('providers', ({ s, nodes }) => {
      this.known.set(s, nodes);
      for (const listener of this.listeners.get(s) ?? []) listener(nodes);
    });
  }

  async provide(service: string, impl: object): Promise<void> {
    if (this.closed) throw new FscError('SHUTTING_DOWN');
    this.provided.set(service, impl);
    await this.link.request<void>('provide', { s: service, methods: providerMethodNames(impl), ...(this.node !== undefined && { n: this.node }) } satisfies ProvidePayload);
  }

  consume<T extends object>(service: string, _options?: ConsumeOptions): T {
    this.watch(service);
    const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
    return new Proxy({} as T, {
      get: (_target, method) => {
        if (typeof method !== 'string' || method === 'then') return undefined;
        let fn = methods.get(method);
        if (!fn) {
          fn = (...args: unknown[]) => this.call(service, method, args);
          methods.set(method, fn);
        }
        return fn;
      },
    });
  }

  /** The providers last reported for a service this registry consumes or was asked about (starts watching it). */
  providers(service: string): string[] {
    this.watch(service);
    return this.known.get(service) ?? [];
  }

  watchProviders(service: string, listener: (nodes: string[]) => void): () => void {
    let set = this.listeners.get(service);
    if (!set) this.listeners.set(service, (set = new Set()));
    set.add(listener);
    const current = this.known.get(service);
    this.watch(service);
    if (current) listener(current);
    return () => {
      set.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const services = [...this.provided.keys()];
    this.provided.clear();
    this.listeners.clear();
    if (services.length > 0) await this.link.request<void>('withdraw', { s: services }).catch(() => undefined);
  }

  private watch(service: string): void {
    if (this.known.has(service) || this.closed) return;
    this.known.set(service, []);
    this.link.notify('watch', { s: service });
  }

  private async call(service: string, method: string, args: unknown[]): Promise<unknown> {
    if (this.closed) throw new FscError('SHUTTING_DOWN', 'registry is closed');
    const payload: CallPayload = { s: service, m: method, a: argsText(args) };
    const side = this.side;
    const link = side !== undefined && !side.link.isClosed && side.calls.has(`${service}.${method}`) ? side.link : this.link;
    return fromJsonText(await link.request<string | undefined>('call', payload));
  }

  private async invoke({ s, m, a }: InvokePayload): Promise<string | undefined> {
    const impl = this.provided.get(s) as Record<string, unknown> | undefined;
    if (!impl || this.closed) throw new FscError('RPC_NO_PROVIDER', `no provider for ${s}`);
    const fn = impl[m];
    if (typeof fn !== 'function') throw new FscError('NOT_IMPLEMENTED', `${s}.${m} does not exist`);
    try {
      return toJsonText(await fn.apply(impl, fromJsonText(a) as unknown[]));
    } catch (err) {
      throw asFscError(err);
    }
  }
}
