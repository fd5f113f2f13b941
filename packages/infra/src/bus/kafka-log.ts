import type { Logger } from '@fscpush/core';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * Routes kafkajs' own log lines to the bus logger. kafkajs reports every retried connection failure as
 * ERROR; the bus surfaces real failures itself (FscError, its own log lines), so they become warnings here.
 * INFO (joins, starts, stops) becomes debug.
 */
export function kafkaLogCreator(log: Logger): logCreator {
  return () => ({ namespace, level, log: entry }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry as typeof entry & { logger?: unknown };
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
