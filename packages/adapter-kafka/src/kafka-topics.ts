import { FscError } from '@fscpush/core';
import type { Admin, Kafka } from 'kafkajs';
import type { ResolvedKafkaBusOptions } from './kafka-bus-options.ts';
import { isValidTopicName } from './kafka-bus-options.ts';
import { kafkaErrorType, rootCause, toBusError } from './kafka-errors.ts';
import { withTimeout } from './with-timeout.ts';

/** partition → offset to start from */
export type StartOffsets = Map<number, string>;

/**
 * The bus's admin client: creates topics (KRaft brokers need them before a consumer can subscribe) and
 * reads where a consumer group stands. Connects lazily, once; a failed connect is retried by the next call.
 *
 * kafkajs' admin refreshes metadata for every topic it has touched before each operation, and fails the
 * operation when one of them no longer exists (a broker that came back with empty storage). So when a
 * topic is found missing, the admin client is replaced by a fresh one.
 */
export class KafkaTopics {
  private readonly kafka: Kafka;
  private readonly options: ResolvedKafkaBusOptions;
  private client: Promise<Admin> | undefined;
  /** Topics known to exist (created or confirmed by this process). */
  private readonly known = new Set<string>();
  private readonly creating = new Map<string, Promise<void>>();

  constructor(kafka: Kafka, options: ResolvedKafkaBusOptions) {
    this.kafka = kafka;
    this.options = options;
  }

  /**
   * Creates the topics that do not exist yet, with the configured partitions, replication and retention,
   * and waits until every partition has a leader. Existing topics are left as they are (idempotent).
   */
  async ensure(topics: readonly string[]): Promise<void> {
    const wanted = [...new Set(topics)];
    for (const topic of wanted) {
      if (!isValidTopicName(topic)) throw new FscError('INVALID_DATA', `invalid topic name "${topic}"`, { topic });
    }
    const waits: Promise<void>[] = [];
    const missing: string[] = [];
    for (const topic of wanted) {
      if (this.known.has(topic)) continue;
      const pending = this.creating.get(topic);
      if (pending) waits.push(pending);
      else missing.push(topic);
    }
    if (missing.length > 0) {
      const creation = this.create(missing);
      for (const topic of missing) this.creating.set(topic, creation);
      void creation.then(
        () => missing.forEach((topic) => this.creating.delete(topic)),
        () => missing.forEach((topic) => this.creating.delete(topic)),
      );
      waits.push(creation);
    }
    await Promise.all(waits);
  }

  /** Forget that a topic exists (after the broker said it does not): the next ensure() creates it again. */
  forget(topic: string): void {
    this.known.delete(topic);
    this.replaceAdmin();
  }

  /**
   * For a consumer group about to join: the partitions of `topic` where the group has no committed offset,
   * each with the topic's current end offset. A new group starts there ("latest"), but from offsets the
   * subscriber commits at once, so a subscriber that dies before its first handler call still resumes there.
   */
  async uncommittedStartOffsets(topic: string, group: string): Promise<StartOffsets> {
    const what = `reading offsets of group ${group} on ${topic}`;
    try {
      const admin = await this.admin();
      const [committed] = await this.retrying(what, () => admin.fetchOffsets({ groupId: group, topics: [topic] }));
      const missing = new Set((committed?.partitions ?? []).filter((p) => Number(p.offset) < 0).map((p) => p.partition));
      const starts: StartOffsets = new Map();
      if (missing.size === 0) return starts;
      for (const end of await this.retrying(what, () => admin.fetchTopicOffsets(topic))) {
        if (missing.has(end.partition)) starts.set(end.partition, end.high);
      }
      return starts;
    } catch (err) {
      throw toBusError(err, what, { topic, group });
    }
  }

  async close(): Promise<void> {
    await this.disconnect(this.client);
    this.client = undefined;
  }

  private async create(topics: string[]): Promise<void> {
    const what = `creating topics ${topics.join(', ')}`;
    try {
      try {
        await this.createOnce(topics);
      } catch (err) {
        if (kafkaErrorType(err) !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
        this.replaceAdmin(); // it knew a topic that is gone
        await this.createOnce(topics);
      }
    } catch (err) {
      throw toBusError(err, what, { topics });
    }
    for (const topic of topics) this.known.add(topic);
  }

  private async createOnce(topics: string[]): Promise<void> {
    const { partitions, replicationFactor, retentionMs, requestTimeoutMs } = this.options;
    const admin = await this.admin();
    await withTimeout(
      admin.createTopics({
        topics: topics.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(retentionMs) }],
        })),
        // The broker's own wait; when some topics already existed kafkajs skips its leader wait,
        // so leaders are awaited below for every topic.
        timeout: requestTimeoutMs,
        waitForLeaders: false,
      }),
      requestTimeoutMs * 3,
      `creating topics ${topics.join(', ')}`,
    );
    await this.waitForLeaders(admin, topics);
  }

  private async waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
    const deadline = Date.now() + this.options.requestTimeoutMs;
    for (;;) {
      // KRaft brokers learn about a new topic from the controller a moment after CreateTopics answered:
      // until then metadata says UNKNOWN_TOPIC_OR_PARTITION or shows no leader.
      let ready = false;
      let last: unknown;
      try {
        const metadata = await withTimeout(admin.fetchTopicMetadata({ topics }), this.options.requestTimeoutMs, 'reading topic metadata');
        ready = metadata.topics.length === topics.length && metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        // ...and a leader named in metadata may still answer NOT_LEADER_FOR_PARTITION for a moment.
        if (ready) for (const topic of topics) await withTimeout(admin.fetchTopicOffsets(topic), this.options.requestTimeoutMs, 'reading topic offsets');
      } catch (err) {
        ready = false;
        last = err;
      }
      if (ready) return;
      if (Date.now() > deadline) throw last ?? new FscError('BUS_UNAVAILABLE', `topics ${topics.join(', ')} have no leader yet`, { topics });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Runs an admin read, again while it fails with a retriable error (leader moves, coordinator loading), within requestTimeoutMs. */
  private async retrying<T>(what: string, read: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.options.requestTimeoutMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
      try {
        return await withTimeout(read(), this.options.requestTimeoutMs, what);
      } catch (err) {
        if (rootCause(err).retriable !== true || Date.now() + delay > deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private admin(): Promise<Admin> {
    if (!this.client) {
      const admin = this.kafka.admin({ retry: { retries: this.options.retries, initialRetryTime: 100, maxRetryTime: 2000 } });
      const connecting = withTimeout(admin.connect(), this.options.requestTimeoutMs * 3, 'connecting the Kafka admin client').then(() => admin);
      this.client = connecting;
      connecting.catch(() => {
        if (this.client === connecting) this.client = undefined;
        void admin.disconnect().catch(() => {});
      });
    }
    return this.client;
  }

  private replaceAdmin(): void {
    void this.disconnect(this.client);
    this.client = undefined;
  }

  private async disconnect(client: Promise<Admin> | undefined): Promise<void> {
    const admin = await client?.catch(() => undefined);
    if (admin) await withTimeout(admin.disconnect(), this.options.closeTimeoutMs, 'disconnecting the Kafka admin client').catch(() => {});
  }
}
