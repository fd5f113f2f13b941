import { FscError, type Logger } from '@fscpush/core';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { BusHandler, BusRecord, Subscription } from '@fscpush/ports';
import type { ResolvedKafkaBusOptions } from './kafka-bus-options.ts';
import { kafkaErrorType, toBusError } from './kafka-errors.ts';
import type { KafkaTopics, StartOffsets } from './kafka-topics.ts';
import { sleepUnlessAborted, withTimeout } from './with-timeout.ts';

export interface KafkaSubscriptionArgs {
  kafka: Kafka;
  topics: KafkaTopics;
  options: ResolvedKafkaBusOptions;
  topic: string;
  group: string;
  handler: BusHandler;
  /** Partitions where the group has no committed offset yet, with the offset to start at. */
  starts: StartOffsets;
  onClosed: () => void;
}

type HandlerOutcome = 'ok' | 'failed' | 'aborted';

/**
 * One consumer group member on one topic.
 *
 * - Records of a partition go to the handler in offset order, at most maxHandlerRecords per call, one call
 *   at a time (one partition after the other).
 * - The offset after a call's last record is committed only after the handler's promise resolved. A
 *   rejected call is retried (backoff, heartbeats in between) with the same records until it succeeds;
 *   nothing after it is handed over or committed meanwhile. A crash or close() mid-call leaves the records
 *   uncommitted, so the group's next member gets them again.
 * - A new group starts at the topic's end as read before joining, and commits that position at once.
 * - kafkajs restarts the consumer after retriable failures (broker down); a consumer that kafkajs gives
 *   up on is replaced by a new one.
 */
export class KafkaSubscription implements Subscription {
  private readonly kafka: Kafka;
  private readonly topics: KafkaTopics;
  private readonly options: ResolvedKafkaBusOptions;
  private readonly log: Logger | undefined;
  private readonly topic: string;
  private readonly group: string;
  private readonly handler: BusHandler;
  private seeds: StartOffsets;
  private readonly onClosed: () => void;

  private consumer: Consumer | undefined;
  private stopping = false;
  private closing: Promise<void> | undefined;
  private respawnTimer: NodeJS.Timeout | undefined;
  /** Crashes since the last successful join: spaces out restarts while the broker stays away. */
  private crashes = 0;
  /** Aborted on close(): wakes retry sleeps. */
  private readonly stop = new AbortController();
  private readonly stopped: Promise<void>;
  /** Resolves when close() gives up on an in-flight handler call. */
  private readonly abandon: Promise<'aborted'>;
  private abandonNow: () => void = () => {};
  /** Resolves after the first join's start offsets are committed; batches wait for it. */
  private readonly seeded: Promise<void>;
  private seededNow: () => void = () => {};
  private readonly joined: Promise<void>;
  private joinedNow: () => void = () => {};
  /** Resolves when the fetch loop runs (kafkajs ignores commitOffsets() until then, silently). */
  private readonly fetching: Promise<void>;
  private fetchingNow: () => void = () => {};

  constructor(args: KafkaSubscriptionArgs) {
    this.kafka = args.kafka;
    this.topics = args.topics;
    this.options = args.options;
    this.log = args.options.log?.child({ topic: args.topic, group: args.group });
    this.topic = args.topic;
    this.group = args.group;
    this.handler = args.handler;
    this.seeds = args.starts;
    this.onClosed = args.onClosed;
    this.stopped = new Promise((resolve) => this.stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    this.abandon = new Promise((resolve) => (this.abandonNow = () => resolve('aborted')));
    this.seeded = new Promise((resolve) => (this.seededNow = resolve));
    this.joined = new Promise((resolve) => (this.joinedNow = resolve));
    this.fetching = new Promise((resolve) => (this.fetchingNow = resolve));
  }

  /** Connects, joins the group and commits the start offsets of a new group; bounded by joinTimeoutMs. */
  async start(): Promise<void> {
    const what = `subscribing group ${this.group} to ${this.topic}`;
    try {
      await withTimeout(
        (async () => {
          await this.launch();
          await Promise.race([Promise.all([this.joined, this.fetching]), this.stopped]);
          if (this.stopping) throw new FscError('SHUTTING_DOWN', 'subscription closed while starting');
          await this.commitSeeds();
        })(),
        this.options.joinTimeoutMs,
        what,
      );
    } catch (err) {
      this.seededNow();
      await this.close();
      throw toBusError(err, what, { topic: this.topic, group: this.group });
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    this.stop.abort();
    this.seededNow(); // a batch waiting for the start offsets goes on, sees `stopping` and hands nothing over
    clearTimeout(this.respawnTimer);
    const drain = setTimeout(this.abandonNow, this.options.closeDrainMs);
    try {
      if (this.consumer) {
        // disconnect() waits for the batch being handled, then leaves the group.
        await withTimeout(this.consumer.disconnect(), this.options.closeDrainMs + this.options.closeTimeoutMs, `closing consumer of ${this.group}`);
      }
    } catch (err) {
      this.log?.warn({ err }, 'Kafka consumer did not close cleanly');
    } finally {
      clearTimeout(drain);
      this.abandonNow();
      this.seededNow();
      this.onClosed();
    }
  }

  private async launch(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.group,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs,
      rebalanceTimeout: this.options.rebalanceTimeoutMs,
      maxWaitTimeInMs: this.options.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      retry: {
        retries: this.options.retries,
        initialRetryTime: 100,
        maxRetryTime: 2000,
        restartOnFailure: (err) => this.beforeRestart(err),
      },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.onJoin(consumer, event.payload.memberAssignment));
    consumer.on(consumer.events.FETCH_START, () => this.fetchingNow());
    consumer.on(consumer.events.CRASH, (event) => this.onCrash(consumer, event.payload.error, event.payload.restart));
    await consumer.connect();
    // fromBeginning only matters where the group has no valid offset: a new group is seeded (below), so
    // this is a group whose offsets expired or fell out of retention — replay what is still there.
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Runs synchronously inside kafkajs' join, before the first fetch: a seek placed here is where it fetches from. */
  private onJoin(consumer: Consumer, assignment: Record<string, number[]>): void {
    const partitions = assignment[this.topic] ?? [];
    this.log?.debug({ partitions }, 'joined consumer group');
    this.crashes = 0;
    for (const partition of partitions) {
      const offset = this.seeds.get(partition);
      if (offset !== undefined) consumer.seek({ topic: this.topic, partition, offset });
    }
    this.joinedNow();
  }

  /** Commits the start offsets of a new group, so a member that dies before handling anything resumes there. */
  private async commitSeeds(): Promise<void> {
    const seeds = [...this.seeds].map(([partition, offset]) => ({ topic: this.topic, partition, offset }));
    this.seeds = new Map(); // one-shot: later joins resume from whatever is committed by then
    try {
      if (seeds.length > 0 && this.consumer) {
        await withTimeout(this.consumer.commitOffsets(seeds), this.options.requestTimeoutMs * 2, 'committing start offsets');
      }
    } catch (err) {
      this.log?.warn({ err }, 'start offsets of a new group not committed; a crash before the first handled batch replays the topic');
    } finally {
      this.seededNow();
    }
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    await this.seeded;
    const { batch } = payload;
    const max = this.options.maxHandlerRecords;
    for (let i = 0; i < batch.messages.length; i += max) {
      const chunk = batch.messages.slice(i, i + max);
      if (!(await this.handleWithRetry(chunk.map(toBusRecord), payload))) return; // not resolved: fetched again or redelivered
      const last = chunk.at(-1)!.offset;
      payload.resolveOffset(last);
      const next = (BigInt(last) + 1n).toString();
      await payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
    }
  }

  /** true once the handler resolved for these records; false if the subscription stops first. */
  private async handleWithRetry(records: BusRecord[], payload: EachBatchPayload): Promise<boolean> {
    let delay = this.options.handlerRetryInitialMs;
    for (let attempt = 1; ; attempt++) {
      if (this.stopping || payload.isStale()) return false;
      const outcome = await this.callHandler(records, payload);
      if (outcome === 'ok') return true;
      if (outcome === 'aborted' || this.stopping) return false;
      this.log?.warn({ attempt, records: records.length, retryInMs: delay }, 'bus handler failed; retrying the same records');
      await sleepUnlessAborted(delay, this.stop.signal);
      delay = Math.min(delay * 2, this.options.handlerRetryMaxMs);
      if (this.stopping) return false;
      await payload.heartbeat(); // throws when the group rebalances: kafkajs rejoins and fetches again
    }
  }

  private async callHandler(records: BusRecord[], payload: EachBatchPayload): Promise<HandlerOutcome> {
    // kafkajs heartbeats only between batches; keep the membership alive during a long handler call.
    const beat = setInterval(() => payload.heartbeat().catch(() => {}), this.options.heartbeatIntervalMs);
    try {
      const result = Promise.resolve()
        .then(() => this.handler(records))
        .then(
          (): HandlerOutcome => 'ok',
          (err: unknown): HandlerOutcome => {
            this.log?.warn({ err }, 'bus handler rejected');
            return 'failed';
          },
        );
      return await Promise.race([result, this.abandon]);
    } finally {
      clearInterval(beat);
    }
  }

  /** kafkajs asks before restarting a crashed consumer (retriable failure, e.g. the broker went away). */
  private async beforeRestart(err: Error): Promise<boolean> {
    if (this.stopping) return false;
    this.crashes++;
    this.log?.warn({ err, crashes: this.crashes }, 'Kafka consumer crashed; restarting');
    if (kafkaErrorType(err) === 'UNKNOWN_TOPIC_OR_PARTITION') {
      // The broker lost the topic (e.g. it came back with empty storage): create it again.
      this.topics.forget(this.topic);
      await this.topics.ensure([this.topic]).catch((ensureErr: unknown) => this.log?.warn({ err: ensureErr }, 'topic not re-created yet'));
    }
    // kafkajs restarts 100 ms or so after a crash; back off further while crashes repeat.
    await sleepUnlessAborted(Math.min(50 * 2 ** Math.min(this.crashes, 10), this.options.handlerRetryMaxMs), this.stop.signal);
    return !this.stopping;
  }

  /** A crash kafkajs does not restart from (non-retriable): replace the consumer, after a pause. */
  private onCrash(consumer: Consumer, error: Error, restart: boolean): void {
    if (restart || this.stopping || consumer !== this.consumer) return;
    this.log?.error({ err: error }, 'Kafka consumer stopped for good; starting a new one');
    clearTimeout(this.respawnTimer);
    this.respawnTimer = setTimeout(() => {
      if (this.stopping) return;
      void consumer
        .disconnect()
        .catch(() => {})
        .then(() => (this.stopping ? undefined : this.launch()))
        .catch((err: unknown) => {
          this.log?.error({ err }, 'new Kafka consumer failed to start');
          this.onCrash(this.consumer ?? consumer, err as Error, false);
        });
    }, this.options.handlerRetryMaxMs);
  }
}

/** Copies the value: a view would keep kafkajs' whole fetch response (up to megabytes) alive as long as the handler keeps the record. */
function toBusRecord(message: KafkaMessage): BusRecord {
  return { key: message.key ? message.key.toString('utf8') : '', value: message.value ? new Uint8Array(message.value) : new Uint8Array(0) };
}
