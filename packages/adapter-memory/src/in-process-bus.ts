import { FscError } from '@fscpush/core';
import type { BusHandler, BusRecord, MessageBus, Subscription } from '@fscpush/ports';

interface GroupQueue {
  handler: BusHandler;
  pending: BusRecord[];
  draining: boolean;
  closed: boolean;
}

const MAX_BATCH = 512;
const RETRY_DELAY_MS = 100;

/**
 * Embedded bus: per topic, each subscriber group has a queue drained by one loop, so records keep
 * publish order. A handler failure redelivers the same batch after a short delay. Records published
 * while no group is subscribed are dropped (as a Kafka consumer that starts at the latest offset).
 */
export class InProcessBus implements MessageBus {
  private readonly topics = new Map<string, Map<string, GroupQueue>>();
  private closed = false;

  async ensureTopics(topics: string[]): Promise<void> {
    for (const topic of topics) if (!this.topics.has(topic)) this.topics.set(topic, new Map());
  }

  async publish(topic: string, records: BusRecord[]): Promise<void> {
    if (this.closed) throw new FscError('SHUTTING_DOWN', 'bus is closed');
    const groups = this.topics.get(topic);
    if (!groups) return;
    for (const queue of groups.values()) {
      for (const record of records) queue.pending.push(record);
      this.drain(queue);
    }
  }

  async subscribe(topic: string, group: string, handler: BusHandler): Promise<Subscription> {
    await this.ensureTopics([topic]);
    const groups = this.topics.get(topic)!;
    if (groups.has(group)) throw new FscError('INVALID_DATA', `group ${group} already subscribed to ${topic}`);
    const queue: GroupQueue = { handler, pending: [], draining: false, closed: false };
    groups.set(group, queue);
    return {
      close: async () => {
        queue.closed = true;
        groups.delete(group);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const groups of this.topics.values()) for (const queue of groups.values()) queue.closed = true;
    this.topics.clear();
  }

  private drain(queue: GroupQueue): void {
    if (queue.draining) return;
    queue.draining = true;
    setImmediate(() => void this.drainLoop(queue));
  }

  private async drainLoop(queue: GroupQueue): Promise<void> {
    while (!queue.closed && queue.pending.length > 0) {
      const batch = queue.pending.slice(0, MAX_BATCH);
      try {
        await queue.handler(batch);
        queue.pending.splice(0, batch.length);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
    queue.draining = false;
  }
}
