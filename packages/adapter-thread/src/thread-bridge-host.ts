import { FscError, type Logger } from '@fscpush/core';
import type { MessageBus, Subscription } from '@fscpush/ports';
import type { ServiceRegistry } from '@fscpush/ports';
import type { PortLink } from './port-link.ts';
import { argsText, fromJsonText, toJsonText, type CallPayload, type InvokePayload, type ProvidePayload, type PublishPayload, type SubscribePayload } from './thread-messages.ts';

/** A registry whose services can be taken back (the embedded one): a dead thread's services must go. */
export interface WithdrawableRegistry extends ServiceRegistry {
  withdraw(service: string, node?: string): Promise<void>;
}

export interface ThreadBridgeHost {
  /** Services the worker provides here, withdrawn when the link closes. */
  readonly provided: ReadonlySet<string>;
}

/**
 * Serves a worker thread's ThreadRegistry and ThreadBus from this thread's registry and bus. When the link
 * closes (the worker stopped or died) its services are withdrawn, so watchers see its node leave, and its
 * subscriptions end.
 */
export function serveThreadBridge(link: PortLink, registry: WithdrawableRegistry, bus: MessageBus, log?: Logger): ThreadBridgeHost {
  const consumers = new Map<string, Record<string, (...args: unknown[]) => Promise<unknown>>>();
  const provided = new Set<string>();
  // the node the worker registers its services under (one worker per link); undefined: the registry's own
  let node: string | undefined;
  const unwatch = new Map<string, () => void>();
  const subscriptions = new Map<number, Promise<Subscription>>();

  link.handle<CallPayload>('call', async ({ s, m, a }) => {
    let consumer = consumers.get(s);
    if (!consumer) consumers.set(s, (consumer = registry.consume(s)));
    return toJsonText(await consumer[m]!(...(fromJsonText(a) as unknown[])));
  });

  link.handle<ProvidePayload>('provide', async ({ s, methods, n }) => {
    node = n;
    const impl: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const m of methods) {
      impl[m] = async (...args) => fromJsonText(await link.request<string | undefined>('invoke', { s, m, a: argsText(args) } satisfies InvokePayload));
    }
    provided.add(s);
    await registry.provide(s, impl, n === undefined ? undefined : { node: n });
  });

  link.handle<{ s: string[] }>('withdraw', async ({ s }) => {
    for (const service of s) {
      provided.delete(service);
      await registry.withdraw(service, node);
    }
  });

  link.handle<{ s: string }>('watch', ({ s }) => {
    if (unwatch.has(s)) return;
    unwatch.set(s, registry.watchProviders(s, (nodes) => link.notify('providers', { s, nodes })));
  });

  link.handle<string[]>('ensureTopics', (topics) => bus.ensureTopics(topics));
  link.handle<PublishPayload>('publish', ({ t, r }) => bus.publish(t, r));
  link.handle<SubscribePayload>('subscribe', async ({ t, g, id }) => {
    if (subscriptions.has(id)) throw new FscError('INVALID_DATA', `subscription ${id} exists`);
    const subscription = bus.subscribe(t, g, (records) => link.request<void>('deliver', { id, r: records }));
    subscriptions.set(id, subscription);
    try {
      await subscription;
    } catch (err) {
      subscriptions.delete(id);
      throw err;
    }
  });
  link.handle<number>('unsubscribe', async (id) => {
    const subscription = subscriptions.get(id);
    subscriptions.delete(id);
    await (await subscription)?.close();
  });

  link.onClose(() => {
    for (const stop of unwatch.values()) stop();
    unwatch.clear();
    for (const service of provided) void registry.withdraw(service, node).catch((err: unknown) => log?.warn({ err, service }, 'thread bridge: withdrawing a service failed'));
    provided.clear();
    for (const subscription of subscriptions.values()) void subscription.then((s) => s.close()).catch(() => undefined);
    subscriptions.clear();
  });
  return { provided };
}

/**
 * Serves calls (`'call'` requests, as a ThreadRegistry sends them) from a table of service objects: a
 * thread that answers some methods for others (SideRoute). Unknown ones are NOT_IMPLEMENTED.
 */
export function serveThreadCalls(link: PortLink, services: Readonly<Record<string, Readonly<Record<string, (...args: never[]) => Promise<unknown>>>>>): void {
  link.handle<CallPayload>('call', async ({ s, m, a }) => {
    const fn = services[s]?.[m] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (fn === undefined) throw new FscError('NOT_IMPLEMENTED', `${s}.${m} is not answered on this thread`);
    return toJsonText(await fn(...(fromJsonText(a) as unknown[])));
  });
}
