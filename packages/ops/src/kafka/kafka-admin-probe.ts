import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { BusSubscriptionRef } from '../metrics/instrument-bus.ts';

export interface KafkaLag {
  topic: string;
  group: string;
  lag: number;
}

/**
 * A Kafka admin connection of its own, for what the bus does not expose: is the cluster reachable
 * (health), and how far behind are this process's consumer groups (metrics). Connects lazily and
 * reconnects after a failure; every call is bounded by timeoutMs.
 */
export class KafkaAdminProbe {
  private readonly kafka: Kafka;
  private readonly timeoutMs: number;
  private admin: Admin | undefined;
  private connecting: Promise<Admin> | undefined;
  private closed = false;

  constructor(brokers: string[], clientId: string, timeoutMs = 2000) {
    this.timeoutMs = timeoutMs;
    this.kafka = new Kafka({ clientId, brokers, connectionTimeout: timeoutMs, requestTimeout: timeoutMs, retry: { retries: 0 }, logLevel: logLevel.NOTHING });
  }

  async ping(): Promise<void> {
    await this.bounded(async (admin) => {
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no brokers');
    });
  }

  /** Records published but not yet committed by the group, per subscription. A group without commits counts from the low watermark. */
  async lag(subscriptions: Iterable<BusSubscriptionRef>): Promise<KafkaLag[]> {
    const refs = [...subscriptions];
    if (refs.length === 0) return [];
    return this.bounded(async (admin) =>
      Promise.all(
        refs.map(async ({ topic, group }) => {
          const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
          const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
          let lag = 0;
          for (const end of ends) {
            const at = done.get(end.partition) ?? -1;
            lag += Math.max(0, Number(end.high) - (at >= 0 ? at : Number(end.low)));
          }
          return { topic, group, lag };
        }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.reset();
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connecting = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  private async bounded<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`kafka: no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([this.connect().then(work), timeout]);
    } catch (err) {
      await this.reset();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private connect(): Promise<Admin> {
    if (this.admin) return Promise.resolve(this.admin);
    if (this.closed) return Promise.reject(new Error('kafka probe closed'));
    this.connecting ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      if (this.closed) {
        await admin.disconnect();
        throw new Error('kafka probe closed');
      }
      this.admin = admin;
      return admin;
    })();
    return this.connecting;
  }
}
