// Entry of the embedded server's connector thread (started by connector-thread.ts): push-connector on
// its own core, reaching push-group through the thread bridge instead of direct calls.
import { workerData, type MessagePort } from 'node:worker_threads';
import { createLogger, type ConfigValues, type TlsMaterial } from '@fscpush/core';
import { LocalFileStorage } from '@fscpush/adapter-local-files';
import { PortLink, ThreadBus, ThreadRegistry } from '@fscpush/adapter-thread';
import { connectorBridgeUrgency } from './bridge-urgency.ts';
import { countConnections } from '@fscpush/ops';
import { startPushConnector, type PushConnector } from '@fscpush/push-connector';
import type { LevelWithSilent } from 'pino';

export interface ConnectorWorkerData {
  port: MessagePort;
  config: ConfigValues;
  node: string;
  logLevel: LevelWithSilent;
  media: { root: string; publicUrl: string; signingSecret: Uint8Array };
  wsTls?: TlsMaterial;
  /** one of several connector threads sharing the client ports (see PushConnectorDeps.sharedPorts) */
  sharedPorts?: { tcp?: number; ws?: number };
  /** calls (`service.method`) the client-reads thread answers, over this port */
  clientReads?: { port: MessagePort; calls: string[] };
}

const data = workerData as ConnectorWorkerData;
const link = new PortLink(data.port, {
  onUnexpectedError: (err, op) => log.error({ err, op }, 'connector thread: a request failed'),
  urgent: connectorBridgeUrgency,
});
// Log lines go to the main thread, which writes them where its own lines go (one writer per log file).
const log = createLogger('fscpush', {
  level: data.logLevel,
  destination: {
    write(line: string) {
      link.notify('log', line);
    },
  },
});
const side = data.clientReads && { link: new PortLink(data.clientReads.port, { urgent: () => true }), calls: new Set(data.clientReads.calls) };
const registry = new ThreadRegistry(link, data.node, side);
const bus = new ThreadBus(link);
const storage = new LocalFileStorage(data.media.root, { publicUrl: data.media.publicUrl, signingSecret: data.media.signingSecret });
let connector: PushConnector | undefined;

link.handle('start', async () => {
  const wsTls = data.wsTls && { cert: Buffer.from(data.wsTls.cert), key: Buffer.from(data.wsTls.key) };
  connector = await startPushConnector({ config: data.config, node: data.node, registry, bus, log, storage, ...(wsTls && { wsTls }), ...(data.sharedPorts && { sharedPorts: data.sharedPorts }) });
  return { tcpPort: connector.tcpPort, wsPort: connector.wsPort };
});
link.handle('counts', () => countConnections(connector?.table.connections() ?? []));
link.handle('rejectedEvents', () => connector?.rejectedEvents() ?? []);
link.handle('close', async () => {
  await connector?.close();
  await bus.close();
  await registry.close();
  side?.link.close();
  await storage.close();
});
