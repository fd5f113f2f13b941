import { createServer } from 'node:net';
import type { MessagePort } from 'node:worker_threads';
import { FscError } from '@fscpush/core';
import { sumConnectionCounts, sumRejectedEvents, type ConnectionCount, type RejectedEventCount } from '@fscpush/ops';
import { startConnectorThread, type ConnectorThread, type ConnectorThreadOptions } from './connector-thread.ts';

export interface ConnectorThreadsOptions extends Omit<ConnectorThreadOptions, 'sharedPorts' | 'clientReads'> {
  count: number;
  /** a port to the client-reads thread for each connector thread, and the calls it answers */
  clientReads?: { port(): MessagePort; calls: readonly string[] };
  tcpPort: number;
  wsPort: number;
  host: string;
}

/**
 * push-connector on `count` worker threads that share the client ports: the first is node `options.node`,
 * the others `<node>-<i>`, each with its own delivery topic, as connectors of a cluster are. With more
 * than one, a configured port must be free first: SO_REUSEPORT would otherwise let a second server of
 * the same user silently share it.
 */
export async function startConnectorThreads(options: ConnectorThreadsOptions): Promise<ConnectorThread> {
  const { count, clientReads, ...threadOptions } = options;
  const reads = () => (clientReads ? { clientReads: { port: clientReads.port(), calls: [...clientReads.calls] } } : {});
  if (count === 1) return startConnectorThread({ ...threadOptions, ...reads() });
  for (const [key, port] of [['push.tcp.port', options.tcpPort], ['push.ws.port', options.wsPort]] as const) {
    if (port !== 0) await assertPortFree(options.host, port, key);
  }
  const threads: ConnectorThread[] = [];
  try {
    const first = await startConnectorThread({ ...threadOptions, ...reads(), sharedPorts: {} });
    threads.push(first);
    for (let i = 1; i < count; i++) {
      threads.push(await startConnectorThread({ ...threadOptions, ...reads(), node: `${options.node}-${i}`, sharedPorts: { tcp: first.tcpPort, ws: first.wsPort } }));
    }
  } catch (err) {
    await Promise.all(threads.map((t) => t.close()));
    throw err;
  }
  return {
    tcpPort: threads[0]!.tcpPort,
    wsPort: threads[0]!.wsPort,
    counts: async (): Promise<ConnectionCount[]> => sumConnectionCounts(await Promise.all(threads.map((t) => t.counts()))),
    rejectedEvents: async (): Promise<RejectedEventCount[]> => sumRejectedEvents(await Promise.all(threads.map((t) => t.rejectedEvents()))),
    close: async () => {
      await Promise.all(threads.map((t) => t.close()));
    },
  };
}

function assertPortFree(host: string, port: number, key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new FscError('CONFIG_INVALID', `${key}: ${host}:${port} is already in use (another server on this host?)`, undefined, { cause: err }) : err);
    });
    probe.listen({ port, host }, () => probe.close(() => resolve()));
  });
}
