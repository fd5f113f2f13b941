import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { FscError, type Logger } from '@fscpush/core';
import type { ClientReadsWorkerData } from './client-reads-worker.ts';

// The release bundle builds the worker entry as a file of its own beside fscpush.mjs (scripts/dist/bundle.ts).
declare const FSCPUSH_CLIENT_READS_WORKER: string | undefined;
const WORKER_ENTRY = typeof FSCPUSH_CLIENT_READS_WORKER === 'string' ? FSCPUSH_CLIENT_READS_WORKER : './client-reads-worker.ts';
const EXIT_GRACE_MS = 2_000;

export interface ClientReadsThread {
  /** A port for one connector thread (its ThreadRegistry's side route); the thread serves the other end. */
  port(): MessagePort;
  close(): Promise<void>;
}

/**
 * The reads a device's app waits on (push-group's CLIENT_READ_CALLS) on a worker thread of their own with
 * a read-only connection to the SQLite file: they answer beside push-group's writer, not behind its
 * transactions on the main thread. If the thread dies the connectors send those calls to push-group again.
 */
export async function startClientReadsThread(data: ClientReadsWorkerData, log: Logger): Promise<ClientReadsThread> {
  const worker = new Worker(new URL(WORKER_ENTRY, import.meta.url), { workerData: data });
  let closing = false;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  worker.on('error', (err) => log.error({ err }, 'client-reads thread failed; its calls go to push-group'));
  void exited.then((code) => {
    if (!closing) log.error({ code }, 'client-reads thread stopped; its calls go to push-group');
  });
  await Promise.race([
    new Promise<void>((resolve) => worker.once('message', () => resolve())),
    exited.then((code) => {
      throw new FscError('SERVER_ERROR', `the client-reads thread stopped while starting (exit code ${code})`);
    }),
  ]);
  return {
    port() {
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ serve: port2 }, [port2]);
      return port1;
    },
    async close() {
      if (closing) return;
      closing = true;
      worker.postMessage({ stop: true });
      const timer = setTimeout(() => void worker.terminate(), EXIT_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
