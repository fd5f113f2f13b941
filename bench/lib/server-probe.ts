// Preloaded into the server child by the bench (node --import; Node runs it in worker threads too): on
// SIGUSR2 the main thread runs a full GC, asks every thread to do the same and report its V8 heap (over a
// BroadcastChannel), and writes process.memoryUsage() with the heaps of all threads summed to
// $FSCPUSH_BENCH_PROBE_FILE. It only reads; it changes nothing in the server.
import { renameSync, writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';

const file = process.env['FSCPUSH_BENCH_PROBE_FILE'];
const WORKER_REPLY_MS = 300;

interface ThreadHeap {
  kind: 'heap';
  heapUsed: number;
  heapTotal: number;
}

if (file !== undefined && file !== '') {
  const gc = (globalThis as { gc?: () => void }).gc;
  const channel = new BroadcastChannel('fscpush-bench-probe');
  channel.unref();
  if (isMainThread) {
    let replies: ThreadHeap[] = [];
    channel.onmessage = (event) => {
      const data = (event as MessageEvent).data as ThreadHeap;
      if (data.kind === 'heap') replies.push(data);
    };
    process.on('SIGUSR2', () => {
      gc?.();
      replies = [];
      channel.postMessage({ kind: 'probe' });
      setTimeout(() => {
        const main = process.memoryUsage();
        const sample = {
          ...main,
          heapUsed: main.heapUsed + replies.reduce((n, r) => n + r.heapUsed, 0),
          heapTotal: main.heapTotal + replies.reduce((n, r) => n + r.heapTotal, 0),
          threads: 1 + replies.length,
          at: Date.now(),
        };
        writeFileSync(`${file}.tmp`, JSON.stringify(sample));
        renameSync(`${file}.tmp`, file);
      }, WORKER_REPLY_MS);
    });
  } else {
    channel.onmessage = (event) => {
      if (((event as MessageEvent).data as { kind: string }).kind !== 'probe') return;
      gc?.();
      const heap = getHeapStatistics();
      channel.postMessage({ kind: 'heap', heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size } satisfies ThreadHeap);
    };
  }
}
