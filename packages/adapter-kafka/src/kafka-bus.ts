import { FscError } from '@fscpush/core';
import { Kafka } from 'kafkajs';
import type { BusHandler, BusRecord, MessageBus, Subscription } from '@fscpush/ports';
import { isValidGroupName, resolveKafkaBusOptions, type KafkaBusOptions, type ResolvedKafkaBusOptions } from './kafka-bus-options.ts';
import { kafkaErrorType } from './kafka-errors.ts';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-log.ts';
import { KafkaPublisher } from './kafka-publisher.ts';
import { KafkaSubscription } from './kafka-subscription.ts';
import { KafkaTopics } from './kafka-topics.ts';
import { withTimeout } from './with-timeout.ts';

export type { KafkaBusOptions } from './kafka-bus-options.ts';

/** The message bus on Kafka (cluster mode). See KafkaBus for what it guarantees. */
export function createKafkaBus(options: KafkaBusOptions): KafkaBus {
  return new KafkaBus(options);
}

/**
 * MessageBus on Kafka with kafkajs.
 *
 * - ensureTopics creates missing topics (partitions, replication, retention.ms from the options) and waits
 *   for their leaders; publish and subscribe ensure their topic too (once per topic and process).
 * - publish: idempotent producer, acks from all in-sync replicas; resolves when the broker acknowledged
 *   every record of the call; the call's records travel in one request; a record's key picks its
 *   partition (murmur2, as Java clients), so one key keeps its order. Fails with BUS_UNAVAILABLE
 *   (retriable) after bounded retries, INVALID_DATA when the broker refuses the records themselves.
 * - subscribe: one consumer group member per call; a new group starts at the topic's end (records
 *   published while nobody in the group was subscribed are not delivered), a known group resumes from its
 *   committed offsets. Offsets are committed only after the handler resolved; failures are retried with
 *   backoff, never skipped (see KafkaSubscription). Resolves once the member has joined the group.
 * - close: closes the subscriptions (an in-flight handler call gets closeDrainMs to finish and be
 *   committed), flushes queued publishes, disconnects; every step bounded.
 */
export class KafkaBus implements MessageBus {
  private readonly options: ResolvedKafkaBusOptions;
  private readonly kafka: Kafka;
  private readonly topics: KafkaTopics;
  private readonly publisher: KafkaPublisher;
  private readonly subscriptions = new Map<string, KafkaSubscription | 'starting'>();
  private closed = false;

  constructor(options: KafkaBusOptions) {
    this.options = resolveKafkaBusOptions(options);
    const { brokers, clientId, connectionTimeoutMs, requestTimeoutMs, retries, log } = this.options;
    this.kafka = new Kafka({
      clientId,
      brokers,
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      enforceRequestTimeout: true,
      retry: { retries, initialRetryTime: 100, maxRetryTime: 2000 },
      logLevel: kafkaLogLevel(log),
      ...(log ? { logCreator: kafkaLogCreator(log) } : {}),
    });
    this.topics = new KafkaTopics(this.kafka, this.options);
    this.publisher = new KafkaPublisher(this.kafka, this.options);
  }

  async ensureTopics(topics: string[]): Promise<void> {
    this.assertOpen();
    await this.topics.ensure(topics);
  }

  async publish(topic: string, records: BusRecord[]): Promise<void> {
    this.assertOpen();
    const deadline = Date.now() + this.options.publishTimeoutMs;
    const left = (): number => deadline - Date.now();
    await withTimeout(this.topics.ensure([topic]), left(), `publishing to ${topic}`);
    if (records.length === 0) return;
    try {
      await this.publisher.send(topic, records, left());
    } catch (err) {
      const lostTopic = err instanceof FscError && kafkaErrorType(err.cause) === 'UNKNOWN_TOPIC_OR_PARTITION';
      if (!lostTopic || this.closed || left() <= 0) throw err;
      // The broker lost the topic (it came back with empty storage): create it again, send once more.
      this.topics.forget(topic);
      await withTimeout(this.topics.ensure([topic]), left(), `publishing to ${topic}`);
      await this.publisher.send(topic, records, left());
    }
  }

  async subscribe(topic: string, group: string, handler: BusHandler): Promise<Subscription> {
    this.assertOpen();
    if (!isValidGroupName(group)) throw new FscError('INVALID_DATA', `invalid consumer group name "${group}"`, { group });
    const key = `${topic}\u0000${group}`;
    if (this.subscriptions.has(key)) throw new FscError('INVALID_DATA', `group ${group} already subscribed to ${topic}`, { topic, group });
    this.subscriptions.set(key, 'starting');
    try {
      await this.topics.ensure([topic]);
      const starts = await this.topics.uncommittedStartOffsets(topic, group);
      this.assertOpen();
      const subscription = new KafkaSubscription({
        kafka: this.kafka,
        topics: this.topics,
        options: this.options,
        topic,
        group,
        handler,
        starts,
        onClosed: () => {
          if (this.subscriptions.get(key) === subscription) this.subscriptions.delete(key);
        },
      });
      this.subscriptions.set(key, subscription);
      await subscription.start();
      return subscription;
    } catch (err) {
      if (this.subscriptions.get(key) === 'starting') this.subscriptions.delete(key);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const subscriptions = [...this.subscriptions.values()].filter((s): s is KafkaSubscription => s !== 'starting');
    await Promise.all(subscriptions.map((s) => s.close()));
    await this.publisher.close();
    await this.topics.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new FscError('SHUTTING_DOWN', 'bus is closed');
  }
}
