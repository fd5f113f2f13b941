import { FscError } from '@fscpush/core';
import type { BusHandler, BusRecord, MessageBus, Subscription } from '@fscpush/ports';
import type { PortLink } from './port-link.ts';
import type { DeliverPayload, PublishPayload, SubscribePayload } from './thread-messages.ts';

/**
 * The embedded bus as seen from a worker thread: topics live on the thread that serves the link. A
 * handler's promise is the subscription's acknowledgement there, so a failing handler gets its batch
 * again exactly as on the bus itself.
 */
export class ThreadBus implements MessageBus {
  private readonly link: PortLink;
  private readonly handlers = new Map<number, BusHandler>();
  private nextId = 1;
  private closed = false;

  constructor(link: PortLink) {
    this.link = link;
    link.handle<DeliverPayload>('deliver', async ({ id, r }) => {
      const handler = this.handlers.get(id);
      if (!handler) throw new FscError('SHUTTING_DOWN', 'subscription closed');
      await handler(r);
    });
  }

  async ensureTopics(topics: string[]): Promise<void> {
    await this.link.request<void>('ensureTopics', topics);
  }

  async publish(topic: string, records: BusRecord[]): Promise<void> {
    if (this.closed) throw new FscError('SHUTTING_DOWN', 'bus is closed');
    await this.link.request<void>('publish', { t: topic, r: records } satisfies PublishPayload);
  }

  async subscribe(topic: string, group: string, handler: BusHandler): Promise<Subscription> {
    if (this.closed) throw new FscError('SHUTTING_DOWN', 'bus is closed');
    const id = this.nextId++;
    this.handlers.set(id, handler);
    try {
      await this.link.request<void>('subscribe', { t: topic, g: group, id } satisfies SubscribePayload);
    } catch (err) {
      this.handlers.delete(id);
      throw err;
    }
    return {
      close: async () => {
        if (!this.handlers.delete(id)) return;
        await this.link.request<void>('unsubscribe', id).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const ids = [...this.handlers.keys()];
    this.handlers.clear();
    await Promise.all(ids.map((id) => this.link.request<void>('unsubscribe', id).catch(() => undefined)));
  }
}
