import { resolve } from 'node:path';
import { pino } from 'pino';
import type { ConfigValues } from '@fscpush/core';
import { RotatingFile } from './rotating-file.ts';

export interface LogDestination {
  write(chunk: string): boolean;
}

// pino writes one JSON line per call with "level" first (no custom formatters here).
const ERROR_LINE = /^\{"level":(50|60),/;

/**
 * Where the JSON log lines go: `logging.file` (rotated by size) or stdout. Every line passes through
 * here, which is where error and fatal lines are counted for the metrics.
 */
export function createLogDestination(config: ConfigValues, onError: (level: 'error' | 'fatal') => void): LogDestination {
  const file = config['logging.file'];
  const out: LogDestination = file !== '' ? new RotatingFile(resolve(file), config['logging.file.max-size'], config['logging.file.max-history']) : stdout();
  return {
    write(chunk: string): boolean {
      const match = ERROR_LINE.exec(chunk);
      if (match) onError(match[1] === '60' ? 'fatal' : 'error');
      return out.write(chunk);
    },
  };
}

function stdout(): LogDestination {
  const boom = pino.destination({ dest: 1, sync: true });
  boom.on('error', () => undefined);
  return boom;
}
