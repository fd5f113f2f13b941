import type { Logger } from '@fscpush/core';
import type { ILogger } from 'hazelcast-client';

type Level = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** hazelcast-client's numeric LogLevel (ERROR 0 … TRACE 4). */
const LEVELS: readonly Level[] = ['error', 'warn', 'info', 'debug', 'trace'];

/**
 * While no member is reachable the client warns at every reconnection attempt (about two a second);
 * the grid itself warns once when the cluster is lost and says when it is back, so these go to debug.
 */
function isRetryChatter(objectName: string, message: string): boolean {
  return objectName === 'WaitStrategy' || (objectName === 'ConnectionManager' && message.startsWith('Error during initial connection'));
}

/**
 * Routes hazelcast-client's log lines into the service's pino logger (component "hazelcast"), silent
 * without one. Its INFO lines (connections opened/closed, member list changes) are kept at info: they are
 * what explains a grid outage.
 */
export function hazelcastLogger(log: Logger | undefined): ILogger {
  const child = log?.child({ component: 'hazelcast' });
  const write = (given: Level, objectName: string, message: string, furtherInfo: unknown): void => {
    const level = isRetryChatter(objectName, message) ? 'debug' : given;
    if (!child || !child.isLevelEnabled(level)) return;
    if (furtherInfo instanceof Error) child[level]({ err: furtherInfo, source: objectName }, message);
    else if (furtherInfo !== undefined && furtherInfo !== null) child[level]({ source: objectName, info: String(furtherInfo) }, message);
    else child[level]({ source: objectName }, message);
  };
  return {
    log: (level, objectName, message, furtherInfo) => write(LEVELS[level] ?? 'info', objectName, message, furtherInfo),
    error: (objectName, message, furtherInfo) => write('error', objectName, message, furtherInfo),
    warn: (objectName, message, furtherInfo) => write('warn', objectName, message, furtherInfo),
    info: (objectName, message, furtherInfo) => write('info', objectName, message, furtherInfo),
    debug: (objectName, message, furtherInfo) => write('debug', objectName, message, furtherInfo),
    trace: (objectName, message, furtherInfo) => write('trace', objectName, message, furtherInfo),
  };
}
