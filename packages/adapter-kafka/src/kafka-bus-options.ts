import { FscError, type Logger } from '@fscpush/core';

/**
 * Options of the Kafka message bus. Only `brokers` and `clientId` are required; every other value has a
 * bounded default (no wait in the bus is infinite). Times are milliseconds.
 */
export interface KafkaBusOptions {
  /** Bootstrap brokers, "host:port" (use 127.0.0.1, not localhost, on the dev stack). */
  brokers: string[];
  /** Kafka client id: shows up in broker logs and quotas; e.g. "push-group-1". */
  clientId: string;
  /** Where the bus and kafkajs log; silent when absent. */
  log?: Logger;

  /** Partitions of topics the bus creates. Default 3. A key always maps to one partition. */
  partitions?: number;
  /** Replication factor of topics the bus creates. Default 1 (single broker); use 3 in production. */
  replicationFactor?: number;
  /** retention.ms of topics the bus creates. Default 1 h: delivery events are short-lived. */
  retentionMs?: number;

  /** TCP connect timeout per broker connection. Default 3000. */
  connectionTimeoutMs?: number;
  /** Timeout of one request to a broker (also the produce ack timeout). Default 10000. */
  requestTimeoutMs?: number;
  /** Retries of one failing request (exponential backoff from 100 ms up to 2 s). Default 5. */
  retries?: number;
  /** Upper bound of one publish() call, retries included. Default 20000. */
  publishTimeoutMs?: number;
  /** Concurrent publish() calls are coalesced into one produce request up to this many records. Default 10000. */
  maxRequestRecords?: number;
  /** ...and up to about this many value+key bytes. Default 900000 (below the broker's 1 MiB message limit). */
  maxRequestBytes?: number;

  /** Consumer group session timeout: a crashed subscriber's partitions move after this long. Default 10000 (the broker's minimum is 6000). */
  sessionTimeoutMs?: number;
  /** Consumer heartbeat interval; must be lower than sessionTimeoutMs. Default 1000. */
  heartbeatIntervalMs?: number;
  /** How long a rebalance waits for members to rejoin. Default 15000. */
  rebalanceTimeoutMs?: number;
  /** Fetch long-poll: how long the broker holds an empty fetch. Bounds close() latency. Default 500. */
  maxWaitTimeMs?: number;
  /** Upper bound for subscribe() to join its group. Default 30000. */
  joinTimeoutMs?: number;
  /** Most records handed to one handler call. Default 512. */
  maxHandlerRecords?: number;
  /** First delay before a failed handler call is retried; doubles up to handlerRetryMaxMs. Default 100. */
  handlerRetryInitialMs?: number;
  /** Largest delay between retries of a failing handler. Default 5000. */
  handlerRetryMaxMs?: number;
  /** On close, how long an in-flight handler call may finish (and be committed). Default 5000. */
  closeDrainMs?: number;
  /** On close, upper bound for disconnecting one client after the drain. Default 10000. */
  closeTimeoutMs?: number;
}

export type ResolvedKafkaBusOptions = Required<Omit<KafkaBusOptions, 'log'>> & { log: Logger | undefined };

const DEFAULTS = {
  partitions: 3,
  replicationFactor: 1,
  retentionMs: 3_600_000,
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 10_000,
  retries: 5,
  publishTimeoutMs: 20_000,
  maxRequestRecords: 10_000,
  maxRequestBytes: 900_000,
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1000,
  rebalanceTimeoutMs: 15_000,
  maxWaitTimeMs: 500,
  joinTimeoutMs: 30_000,
  maxHandlerRecords: 512,
  handlerRetryInitialMs: 100,
  handlerRetryMaxMs: 5000,
  closeDrainMs: 5000,
  closeTimeoutMs: 10_000,
} as const satisfies Omit<ResolvedKafkaBusOptions, 'brokers' | 'clientId' | 'log'>;

/** Fills in the defaults and checks every value; all problems are reported at once (CONFIG_INVALID). */
export function resolveKafkaBusOptions(options: KafkaBusOptions): ResolvedKafkaBusOptions {
  const resolved: ResolvedKafkaBusOptions = {
    ...DEFAULTS,
    ...withoutUndefined(options),
    brokers: options.brokers,
    clientId: options.clientId,
    log: options.log,
  };
  const problems: string[] = [];
  if (!Array.isArray(resolved.brokers) || resolved.brokers.length === 0) problems.push('brokers: at least one "host:port"');
  else for (const broker of resolved.brokers) if (!/^[^\s:]+:\d{1,5}$/.test(broker)) problems.push(`brokers: "${broker}" is not host:port`);
  if (typeof resolved.clientId !== 'string' || !/^[A-Za-z0-9._-]{1,200}$/.test(resolved.clientId)) {
    problems.push('clientId: 1-200 characters of [A-Za-z0-9._-]');
  }
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = resolved[key];
    const min = key === 'retries' ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < min) problems.push(`${key}: an integer >= ${min} (got ${String(value)})`);
  }
  if (resolved.heartbeatIntervalMs >= resolved.sessionTimeoutMs) problems.push('heartbeatIntervalMs must be lower than sessionTimeoutMs');
  if (resolved.handlerRetryInitialMs > resolved.handlerRetryMaxMs) problems.push('handlerRetryInitialMs must not exceed handlerRetryMaxMs');
  if (problems.length > 0) throw new FscError('CONFIG_INVALID', `invalid Kafka bus options: ${problems.join('; ')}`, { problems });
  return Object.freeze(resolved);
}

/** Kafka's rule for topic names: 1-249 of [A-Za-z0-9._-], not "." or "..". */
export function isValidTopicName(name: string): boolean {
  return /^[A-Za-z0-9._-]{1,249}$/.test(name) && name !== '.' && name !== '..';
}

/** Kafka takes any non-empty group id; fscpush refuses control characters and ids over 255 characters. */
export function isValidGroupName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[\u0000-\u001f\u007f]/.test(name);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
