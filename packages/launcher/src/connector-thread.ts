import { MessageChannel, Worker } from 'node:worker_threads';
import { FscError, type ConfigValues, type Logger, type TlsMaterial } from '@fscpush/core';
import { PortLink, serveThreadBridge, type WithdrawableRegistry } from '@fscpush/adapter-thread';
import type { MessageBus } from '@fscpush/ports';
import { connectorBridgeUrgency } from './bridge-urgency.ts';
import type { ConnectionCount, RejectedEventCount } from '@fscpush/ops';
import type { LevelWithSilent } from 'pino';
import type { ConnectorWorkerData } from './connector-worker.ts';

export interface ConnectorThreadOptions {
  config: ConfigValues;
  node: string;
  registry: WithdrawableRegistry;
  bus: MessageBus;
  log: Logger;
  media: ConnectorWorkerData['media'];
  wsTls?: TlsMaterial;
  sharedPorts?: ConnectorWorkerData['sharedPorts'];
  clientReads?: ConnectorWorkerData['clientReads'];
  /** The thread died while the server was running (its connections are gone with it). */
  onFailure(err: Error): void;
}

export interface ConnectorThread {
  readonly tcpPort: number;
  readonly wsPort: number;
  counts(): Promise<ConnectionCount[]>;
  rejectedEvents(): Promise<RejectedEventCount[]>;
  close(): Promise<void>;
}

const EXIT_GRACE_MS = 2_000;
// The release bundle builds the worker entry as a file of its own beside fscpush.mjs (scripts/dist/bundle.ts).
declare const FSCPUSH_CONNECTOR_WORKER: string | undefined;
const WORKER_ENTRY = typeof FSCPUSH_CONNECTOR_WORKER === 'string' ? FSCPUSH_CONNECTOR_WORKER : './connector-worker.ts';

/** push-connector on a worker thread of this process, bridged to this thread's registry and bus. */
export async function startConnectorThread(options: ConnectorThreadOptions): Promise<ConnectorThread> {
  const { log } = options;
  const { port1, port2 } = new MessageChannel();
  const link = new PortLink(port1, {
    onUnexpectedError: (err, op) => log.error({ err, op }, 'connector thread bridge: a request failed'),
    urgent: connectorBridgeUrgency,
  });
  serveThreadBridge(link, options.registry, options.bus, log);
  link.handle<string>('log', (line) => relog(log, line));

  const workerData: ConnectorWorkerData = { port: port2, config: options.config, node: options.node, logLevel: log.level as LevelWithSilent, media: options.media, ...(options.wsTls && { wsTls: options.wsTls }), ...(options.sharedPorts && { sharedPorts: options.sharedPorts }), ...(options.clientReads && { clientReads: options.clientReads }) };
  const transferList = options.clientReads ? [port2, options.clientReads.port] : [port2];
  const worker = new Worker(new URL(WORKER_ENTRY, import.meta.url), { workerData, transferList });
  let closing = false;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  worker.on('error', (err) => log.error({ err }, 'connector thread failed'));
  void exited.then((code) => {
    link.close();
    if (!closing) options.onFailure(new FscError('SERVER_ERROR', `the connector thread stopped (exit code ${code})`));
  });

  const started = await Promise.race([
    link.request<{ tcpPort: number; wsPort: number }>('start', null),
    exited.then((code) => {
      throw new FscError('SERVER_ERROR', `the connector thread stopped while starting (exit code ${code})`);
    }),
  ]).catch(async (err: unknown) => {
    closing = true;
    await worker.terminate();
    throw err;
  });

  return {
    ...started,
    counts: () => link.request<ConnectionCount[]>('counts', null),
    rejectedEvents: () => link.request<RejectedEventCount[]>('rejectedEvents', null),
    async close() {
      if (closing) return;
      closing = true;
      await link.request('close', null).catch((err: unknown) => log.warn({ err }, 'connector thread did not close cleanly'));
      link.close();
      const timer = setTimeout(() => void worker.terminate(), EXIT_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** A JSON line from the thread's logger, written again through this thread's logger (its destination, its fields). */
function relog(log: Logger, line: string): void {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    log.warn({ line }, 'connector thread wrote a line that is not JSON');
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _hostname, name: _name, service: _service, ...fields } = entry;
  const method = LEVELS[level as number] ?? 'info';
  log[method](fields, typeof msg === 'string' ? msg : '');
}
