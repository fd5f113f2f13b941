import type { Logger } from '@fscpush/core';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * kafkajs warns at every idempotent producer whose retries are bounded. The bus bounds them on purpose and
 * replaces the producer after a failed request (see KafkaPublisher), so the warning says nothing useful.
 */
const BOUNDED_RETRIES_WARNING = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/**
 * Routes kafkajs' own log lines to the bus logger. kafkajs reports every retried connection failure as
 * ERROR; the bus surfaces real failures itself (FscError, its own log lines), so they become warnings here.
 * INFO (joins, starts, stops) becomes debug.
 */
export function kafkaLogCreator(log: Logger): logCreator {
  return () => ({ namespace, level, log: entry }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry as typeof entry & { logger?: unknown };
    if (message === BOUNDED_RETRIES_WARNING) return;
    const fields = { kafkajs: namespace, ...extra };
    if (level === logLevel.ERROR || level === logLevel.WARN) log.warn(fields, message);
    else if (level === logLevel.INFO) log.debug(fields, message);
    else log.trace(fields, message);
  };
}

/** kafkajs' level for a bus logger: what the logger would keep (kafkajs builds DEBUG lines for every request). */
export function kafkaLogLevel(log: Logger | undefined): logLevel {
  if (!log) return logLevel.NOTHING;
  if (log.isLevelEnabled('trace')) return logLevel.DEBUG;
  if (log.isLevelEnabled('debug')) return logLevel.INFO;
  return log.isLevelEnabled('warn') ? logLevel.WARN : logLevel.NOTHING;
}
