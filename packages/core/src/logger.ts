import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where JSON lines go; defaults to stdout. */
  destination?: DestinationStream;
}

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env['FSCPUSH_LOG_LEVEL'] as LevelWithSilent | undefined) ?? 'info';
  const opts = { name: service, level, base: { pid: process.pid, service } };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
