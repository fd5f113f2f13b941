import { z } from 'zod';
import type { KeySpec } from './keys.ts';

const optionalPort = z.union([z.literal(''), z.string().trim().regex(/^\d{1,5}$/).transform(Number).pipe(z.number().int().min(0).max(65535))]);
const byteSize = z
  .string()
  .trim()
  .regex(/^\d+\s*(B|KB|MB|GB)?$/i, 'a size such as 100MB')
  .transform((v) => {
    const [, digits, unit] = /^(\d+)\s*([A-Za-z]*)$/.exec(v)!;
    const scale: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
    return Number(digits) * scale[(unit ?? '').toUpperCase()]!;
  })
  .pipe(z.number().int().min(1024));

/**
 * Operability: the management port (GET /health, GET /metrics) and the log file. `logging.file*` follow
 * Spring Boot's spelling, which FShareChat's operators know from logback.
 */
export const OPS_KEYS = {
  'management.port': { schema: optionalPort, default: '', description: 'management HTTP port: GET /health (readiness), GET /health/live, GET /metrics (Prometheus); empty = the service default (all-in-one 9460, push-connector 9461, push-group 9463, push-api 9465); 0 = any free port' },
  'management.address': { schema: z.string(), default: '', description: 'address the management port binds to; empty = server.address. Keep it off the public network: /metrics is not authenticated' },
  'logging.file': { schema: z.string(), default: '', description: 'JSON log file (relative to the working directory); empty = stdout. The start scripts set logs/<service>.log' },
  'logging.file.max-size': { schema: byteSize, default: '100MB', description: 'the log file is rotated when it reaches this size (<file>.1 is the newest old file)' },
  'logging.file.max-history': { schema: z.coerce.number().int().min(1).max(1000), default: '10', description: 'rotated log files kept (<file>.1 … <file>.N)' },
} as const satisfies Record<string, KeySpec>;
