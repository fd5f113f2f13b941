import type { BusRecord, MessageBus, Subscription } from '@fscpush/ports';
import type { ServiceMetrics } from './service-metrics.ts';

export interface BusSubscriptionRef {
  topic: string;
  group: string;
}

/**
 * Wraps a MessageBus to count published and handled records and failures, and remembers the
 * (topic, group) pairs this process consumes so consumer lag can be reported for them.
 */
export function instrumentBus<B extends MessageBus>(bus: B, metrics: ServiceMetrics, subscriptions: Set<BusSubscriptionRef>): B {
  return new Proxy(bus, {
    get(target, prop, receiver) {
      if (prop === 'publish') {
        return async (topic: string, records: BusRecord[]) => {
          try {
            await target.publish(topic, records);
            metrics.busPublished.inc({ topic }, records.length);
          } catch (err) {
            metrics.busPublishErrors.inc({ topic });
            throw err;
          }
        };
      }
      if (prop === 'subscribe') {
        return async (topic: string, group: string, handler: (records: BusRecord[]) => Promise<void>): Promise<Subscription> => {
          const counted = async (records: BusRecord[]) => {
            try {
              await handler(records);
              metrics.busConsumed.inc({ topic }, records.length);
            } catch (err) {
              metrics.busHandlerErrors.inc({ topic });
              throw err;
            }
          };
          const subscription = await target.subscribe(topic, group, counted);
          const ref = { topic, group };
          subscriptions.add(ref);
          return {
            close: async () => {
              subscriptions.delete(ref);
              await subscription.close();
            },
          };
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
