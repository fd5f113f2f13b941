import { FscError, type Logger } from '@fscpush/core';
import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { BusRecord } from '@fscpush/ports';
import type { ResolvedKafkaBusOptions } from './kafka-bus-options.ts';
import { toBusError } from './kafka-errors.ts';
import { withTimeout } from './with-timeout.ts';

/** Per-record overhead counted against maxRequestBytes (record headers, varints, batch share). */
const RECORD_OVERHEAD_BYTES = 70;

interface PendingSend {
  topic: string;
  messages: Message[];
  bytes: number;
  state: 'queued' | 'sending' | 'done';
  resolve: () => void;
  reject: (err: FscError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Sends records with an idempotent kafkajs producer, acks from all in-sync replicas.
 *
 * One produce request at a time (kafkajs serialises idempotent requests per broker anyway): calls that
 * arrive while a request is in flight are queued and go together in the next request, in call order, so
 * records of one key keep their order across calls and under load the bus sends few large requests.
 * The records of one call always travel in one request. A call settles when the broker acknowledged
 * (resolve) or kafkajs gave up after its bounded retries (reject); a call still waiting after
 * publishTimeoutMs is rejected, and if it had not been sent yet it never will be.
 *
 * After any failed request the producer is replaced: its outcome is unknown, and a fresh producer id keeps
 * the broker from mistaking later records for retries of it (which it would drop as duplicates).
 */
export class KafkaPublisher {
  private readonly kafka: Kafka;
  private readonly options: ResolvedKafkaBusOptions;
  private readonly log: Logger | undefined;
  private readonly queue: PendingSend[] = [];
  private producer: Promise<Producer> | undefined;
  /** Set and cleared synchronously with the pump loop's own checks, so no call can slip between them. */
  private pumping = false;
  private pumped: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(kafka: Kafka, options: ResolvedKafkaBusOptions) {
    this.kafka = kafka;
    this.options = options;
    this.log = options.log;
  }

  /** Resolves when the broker acknowledged every record; rejects after kafkajs gave up or after timeoutMs. */
  send(topic: string, records: readonly BusRecord[], timeoutMs: number): Promise<void> {
    const messages = records.map(toMessage);
    const bytes = messages.reduce((n, m) => n + (m.key as Buffer).length + (m.value as Buffer).length + RECORD_OVERHEAD_BYTES, 0);
    return new Promise<void>((resolve, reject) => {
      const entry: PendingSend = {
        topic,
        messages,
        bytes,
        state: 'queued',
        resolve,
        reject,
        timer: setTimeout(() => {
          if (entry.state === 'done') return;
          const sent = entry.state === 'sending';
          entry.state = 'done';
          if (!sent) this.queue.splice(this.queue.indexOf(entry), 1);
          const msg = sent ? 'publish not acknowledged in time (it may still be written)' : 'publish not sent in time';
          reject(new FscError('BUS_UNAVAILABLE', `${msg}: ${this.options.publishTimeoutMs} ms`, { topic, sent }));
        }, Math.max(1, timeoutMs)),
      };
      this.queue.push(entry);
      if (!this.pumping) {
        this.pumping = true;
        this.pumped = this.pump();
      }
    });
  }

  /** Waits (bounded) for queued and in-flight sends, then disconnects the producer. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.pumping) await withTimeout(this.pumped, this.options.closeTimeoutMs, 'flushing the Kafka producer').catch(() => {});
    for (const entry of this.queue.splice(0)) settle(entry, new FscError('SHUTTING_DOWN', 'bus is closed'));
    await this.dropProducer();
  }

  /** Sends queued calls until none is left; `pumping` drops in the same tick as the last queue check. */
  private async pump(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.sendRequest(this.takeRequest());
    } finally {
      this.pumping = false;
    }
  }

  private async sendRequest(batch: PendingSend[]): Promise<void> {
    try {
      const producer = await this.connectedProducer();
      await producer.sendBatch({ topicMessages: byTopic(batch), acks: -1, timeout: this.options.requestTimeoutMs });
      for (const entry of batch) settle(entry);
    } catch (err) {
      const error = toBusError(err, 'publishing to Kafka', { topics: [...new Set(batch.map((e) => e.topic))] });
      this.log?.warn({ err: error, records: batch.reduce((n, e) => n + e.messages.length, 0) }, 'Kafka publish failed');
      for (const entry of batch) settle(entry, error);
      await this.dropProducer();
    }
  }

  /** Takes queued calls, in order, up to the request limits (at least one call, however large). */
  private takeRequest(): PendingSend[] {
    const batch: PendingSend[] = [];
    let records = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      const fits = records + next.messages.length <= this.options.maxRequestRecords && bytes + next.bytes <= this.options.maxRequestBytes;
      if (batch.length > 0 && !fits) break;
      this.queue.shift();
      next.state = 'sending';
      batch.push(next);
      records += next.messages.length;
      bytes += next.bytes;
    }
    return batch;
  }

  private connectedProducer(): Promise<Producer> {
    if (this.closed) return Promise.reject(new FscError('SHUTTING_DOWN', 'bus is closed'));
    this.producer ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: Math.max(1, this.options.retries), initialRetryTime: 100, maxRetryTime: 2000 },
      });
      await withTimeout(producer.connect(), this.options.requestTimeoutMs * 3, 'connecting the Kafka producer').catch(async (err: unknown) => {
        await producer.disconnect().catch(() => {});
        throw err;
      });
      return producer;
    })();
    const current = this.producer;
    current.catch(() => {
      if (this.producer === current) this.producer = undefined;
    });
    return current;
  }

  private async dropProducer(): Promise<void> {
    const previous = this.producer;
    this.producer = undefined;
    if (!previous) return;
    const producer = await previous.catch(() => undefined);
    if (producer) await withTimeout(producer.disconnect(), this.options.closeTimeoutMs, 'disconnecting the Kafka producer').catch(() => {});
  }
}

function settle(entry: PendingSend, error?: FscError): void {
  if (entry.state === 'done') return;
  entry.state = 'done';
  clearTimeout(entry.timer);
  if (error) entry.reject(error);
  else entry.resolve();
}

function toMessage(record: BusRecord): Message {
  const value = record.value;
  return { key: Buffer.from(record.key, 'utf8'), value: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
}

/** One entry per topic, records in call order (kafkajs keeps that order within each partition). */
function byTopic(batch: readonly PendingSend[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const entry of batch) {
    const list = topics.get(entry.topic);
    if (!list) topics.set(entry.topic, [...entry.messages]);
    else for (const message of entry.messages) list.push(message);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
