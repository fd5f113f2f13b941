import { FscError } from '@fscpush/core';

/** Broker answers that say the request itself is wrong: retrying cannot help. */
const INVALID_REQUEST_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
]);

interface KafkaJsErrorShape {
  name?: unknown;
  message?: unknown;
  type?: unknown;
  retriable?: unknown;
  cause?: unknown;
}

/** The innermost kafkajs error: KafkaJSNumberOfRetriesExceeded and friends wrap the broker's answer. */
export function rootCause(err: unknown): KafkaJsErrorShape {
  let current = err as KafkaJsErrorShape;
  for (let depth = 0; depth < 10 && current && typeof current === 'object' && current.cause; depth++) {
    current = current.cause as KafkaJsErrorShape;
  }
  return current ?? {};
}

/** The broker error type (e.g. "UNKNOWN_TOPIC_OR_PARTITION") of an error or of what it wraps, if any. */
export function kafkaErrorType(err: unknown): string | undefined {
  for (let current = err as KafkaJsErrorShape, depth = 0; current && typeof current === 'object' && depth < 10; depth++) {
    if (typeof current.type === 'string') return current.type;
    current = current.cause as KafkaJsErrorShape;
  }
  return undefined;
}

/**
 * Maps whatever kafkajs threw to an FscError: an invalid request is INVALID_DATA (not retriable),
 * everything else — broker down, timeouts, retries exhausted, leader moves — is BUS_UNAVAILABLE (retriable).
 */
export function toBusError(err: unknown, what: string, details: Record<string, unknown> = {}): FscError {
  if (err instanceof FscError) return err;
  const type = kafkaErrorType(err);
  const root = rootCause(err);
  const reason = typeof root.message === 'string' ? root.message : String(err);
  const info = { ...details, ...(type ? { kafkaError: type } : {}) };
  if (type && INVALID_REQUEST_TYPES.has(type)) return new FscError('INVALID_DATA', `${what}: ${reason}`, info, { cause: err });
  return new FscError('BUS_UNAVAILABLE', `${what}: ${reason}`, info, { cause: err });
}
