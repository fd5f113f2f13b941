// Preloaded into the server child by the bench (node --import): on SIGUSR2 it runs a full GC (the
// child runs with --expose-gc) and writes process.memoryUsage() to $FSCPUSH_BENCH_PROBE_FILE.
// It only reads; it changes nothing in the server.
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env['FSCPUSH_BENCH_PROBE_FILE'];
if (file !== undefined && file !== '') {
  process.on('SIGUSR2', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const sample = { ...process.memoryUsage(), at: Date.now() };
    writeFileSync(`${file}.tmp`, JSON.stringify(sample));
    renameSync(`${file}.tmp`, file);
  });
}
