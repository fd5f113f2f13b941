import { asFscError, SERVICE_NAMES } from '@fscpush/core';
import { providerMethodNames, type ConsumeOptions, type ProvideOptions, type ServiceRegistry } from '@fscpush/ports';
import type { ServiceMetrics } from './service-metrics.ts';

type Method = (...args: unknown[]) => unknown;
type Observe = (service: string, method: string, outcome: string, seconds: number, result: unknown, args: unknown[]) => void;

/**
 * Wraps a ServiceRegistry so every remote call is timed: calls this process makes (consume) and calls it
 * serves (provide). Message counters are derived from the MessageService calls.
 */
export function instrumentRegistry<R extends ServiceRegistry>(registry: R, metrics: ServiceMetrics): R {
  const served: Observe = (service, method, outcome, seconds, result, args) => {
    metrics.rpcServer.observe({ service, method, outcome }, seconds);
    // a connector that answered pulls itself reports what it handed out
    if (service === SERVICE_NAMES.receipts && method === 'delivered' && outcome === 'ok') metrics.messagesOut.inc(reportedMessages(args[0]));
    if (service !== SERVICE_NAMES.messages) return;
    if (method === 'send') metrics.messagesIn.inc({ outcome });
    if (method === 'pull') {
      metrics.pulls.inc({ outcome });
      const messages = (result as { messages?: unknown[] } | undefined)?.messages;
      if (Array.isArray(messages)) metrics.messagesOut.inc(messages.length);
    }
  };
  const called: Observe = (service, method, outcome, seconds) => {
    metrics.rpcClient.observe({ service, method, outcome }, seconds);
    if (service === SERVICE_NAMES.messages && method === 'send') metrics.acks.inc({ outcome });
  };
  return new Proxy(registry, {
    get(target, prop, receiver) {
      if (prop === 'provide') {
        return (service: string, impl: object, options?: ProvideOptions) => target.provide(service, timedProvider(service, impl, served), options);
      }
      if (prop === 'consume') {
        return <T extends object>(service: string, options?: ConsumeOptions): T => timedConsumer(service, target.consume<T>(service, options), called);
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as Method).bind(target) : value;
    },
  });
}

/** A plain object with the provider's methods (own and inherited, as the registry lists them), each timed. */
function timedProvider(service: string, impl: object, observe: Observe): object {
  const wrapped: Record<string, Method> = {};
  for (const name of providerMethodNames(impl)) {
    const fn = (impl as Record<string, Method>)[name]!;
    wrapped[name] = (...args) => timed(() => fn.apply(impl, args), (outcome, seconds, result) => observe(service, name, outcome, seconds, result, args));
  }
  return wrapped;
}

function timedConsumer<T extends object>(service: string, proxy: T, observe: Observe): T {
  const cache = new Map<string, Method>();
  return new Proxy(proxy, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      let method = cache.get(prop);
      if (!method) {
        method = (...args) => timed(() => (value as Method).apply(target, args), (outcome, seconds, result) => observe(service, prop, outcome, seconds, result, args));
        cache.set(prop, method);
      }
      return method;
    },
  });
}

async function timed(call: () => unknown, done: (outcome: string, seconds: number, result: unknown) => void): Promise<unknown> {
  const start = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
  try {
    const result = await call();
    done('ok', seconds(), result);
    return result;
  } catch (err) {
    done(asFscError(err).code, seconds(), undefined);
    throw err;
  }
}

function reportedMessages(reports: unknown): number {
  if (!Array.isArray(reports)) return 0;
  let count = 0;
  for (const report of reports as { messages?: unknown }[]) if (Array.isArray(report?.messages)) count += report.messages.length;
  return count;
}
