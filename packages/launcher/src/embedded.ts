import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { FscError, ShutdownSequence, createLogger, loadConfig, loadTls, type ConfigSource, type ConfigValues, type Logger } from '@fscpush/core';
import { InProcessBus, InProcessRegistry, MemoryGrid } from '@fscpush/adapter-memory';
import { lockSqliteFile, openSqliteStore } from '@fscpush/adapter-sqlite';
import { PUSH_API_MIGRATIONS, installAdminSecret, startPushApi, type ApiSchema } from '@fscpush/push-api';
import { startPushConnector } from '@fscpush/push-connector';
import { CLIENT_READ_CALLS, PUSH_GROUP_MIGRATIONS, startPushGroup, type Schema } from '@fscpush/push-group';
import { startEmbeddedMedia } from './embedded-media.ts';
import { ServiceOps, countConnections } from '@fscpush/ops';
import { startConnectorThreads } from './connector-threads.ts';
import { chooseAdapters } from './compose/adapter-choice.ts';
import { openHazelcastGrid, openKafkaBus } from './compose/open-engines.ts';
import { startClientReadsThread } from './client-reads-thread.ts';

export interface EmbeddedOptions extends ConfigSource {
  /** JSON-copy values across the in-process registry, as the network would (tests) */
  strictRpc?: boolean;
  log?: Logger;
  /** Something the server cannot run without stopped (the connector thread); the server has begun shutting down. */
  onFatal?: (err: Error) => void;
}

export interface EmbeddedServer {
  readonly config: ConfigValues;
  readonly ports: { tcp: number; ws: number; login: number; api: number; media: number; management: number };
  readonly adminSecret: string;
  readonly dataDir: string;
  readonly log: Logger;
  close(): Promise<string[]>;
}

export const EMBEDDED_NODE = 'embedded-0';

/** The all-in-one server: push-group, push-connector and push-api in this process on embedded parts. */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const { values: config, warnings } = loadConfig(options);
  if (config['fscpush.mode'] !== 'embedded') {
    throw new FscError('CONFIG_INVALID', 'fscpush.mode: the all-in-one server runs embedded; cluster mode runs each service as its own process');
  }
  const adapters = chooseAdapters('embedded', config);
  const ops = new ServiceOps(config, 'all');
  const log = options.log ?? createLogger('fscpush', { level: config['log.level'], destination: ops.logDestination });
  for (const warning of warnings) log.warn(warning);
  const dataDir = resolve(config['fscpush.data.dir']);
  mkdirSync(dataDir, { recursive: true });
  const nodeId = config['node.id'] === '' ? 0 : config['node.id'];
  const wsTls = loadTls('push.ssl.cert', config['push.ssl.cert'], 'push.ssl.key', config['push.ssl.key']);
  const httpTls = loadTls('server.ssl.cert', config['server.ssl.cert'], 'server.ssl.key', config['server.ssl.key']);

  const shutdown = new ShutdownSequence();
  try {
    const management = await ops.listen(log, shutdown);
    const storeFile = join(dataDir, 'fscpush.sqlite');
    const lock = lockSqliteFile(storeFile);
    shutdown.add('store-lock', () => lock.release());
    const store = ops.store(await openSqliteStore<Schema & ApiSchema>(storeFile, { cacheMb: config['embedded.sqlite.cache.mb'], migrations: [PUSH_GROUP_MIGRATIONS, PUSH_API_MIGRATIONS] }));
    shutdown.add('store', () => store.close());
    const media = await startEmbeddedMedia(config, dataDir, httpTls, log.child({ svc: 'media' }));
    shutdown.add('media', () => media.close());
    const grid = adapters.grid === 'hazelcast' ? await openHazelcastGrid(config, log, ops) : ops.grid(new MemoryGrid());
    shutdown.add('grid', () => grid.close());
    const bus = adapters.bus === 'kafka' ? openKafkaBus(config, EMBEDDED_NODE, log, ops) : ops.bus(new InProcessBus());
    shutdown.add('bus', () => bus.close());
    const registry = ops.registry(new InProcessRegistry({ nodeId: EMBEDDED_NODE, copyValues: options.strictRpc === true }));
    shutdown.add('registry', () => registry.close());

    const group = await startPushGroup({ config, nodeId, registry, bus, grid, store, log: log.child({ svc: 'push-group' }), ...(httpTls && { tls: httpTls }) });
    shutdown.add('push-group', () => group.close());
    const connectorLog = log.child({ svc: 'push-connector' });
    const threaded = connectorThreadWanted(config['embedded.connector.thread']);
    const clientReads = threaded ? await startClientReadsThread({ file: storeFile, cacheMb: config['embedded.sqlite.cache.mb'] }, log.child({ svc: 'client-reads' })) : undefined;
    if (clientReads) shutdown.add('client-reads', () => clientReads.close());
    const connector = threaded
      ? await startConnectorThreads({
          config,
          node: EMBEDDED_NODE,
          count: connectorThreadCount(config['embedded.connector.threads']),
          host: config['server.address'],
          tcpPort: config['push.tcp.port'],
          wsPort: config['push.ws.port'],
          ...(clientReads && { clientReads: { port: () => clientReads.port(), calls: CLIENT_READ_CALLS } }),
          registry,
          bus,
          log: connectorLog,
          media: media.localStorage,
          ...(wsTls && { wsTls }),
          onFailure: (err) => {
            log.fatal({ err }, 'fscpush embedded server: the connector thread stopped; shutting down');
            void shutdown.run(config['shutdown.timeout.ms']).then(() => options.onFatal?.(err));
          },
        })
      : await startPushConnector({ config, node: EMBEDDED_NODE, registry, bus, log: connectorLog, storage: media.storage, ...(wsTls && { wsTls }) });
    shutdown.add('push-connector', () => connector.close());
    // a thread that is stopping answers no more: the gauge then reads no connections rather than failing the scrape
    if ('counts' in connector) ops.connector(() => connector.counts().catch(() => []), () => connector.rejectedEvents().catch(() => []));
    else ops.connector(() => countConnections(connector.table.connections()), () => connector.rejectedEvents());
    const adminSecret = config['im.admin_secret'] !== '' ? config['im.admin_secret'] : await installAdminSecret(store, dataDir, log);
    const api = await startPushApi({ config, registry, store, grid, adminSecret, log: log.child({ svc: 'push-api' }), ...(httpTls && { tls: httpTls }) });
    shutdown.add('push-api', () => api.close());

    log.info({ dataDir, adapters, tcp: connector.tcpPort, ws: connector.wsPort, login: group.httpPort, api: api.port, media: media.port, management }, 'fscpush embedded server started');
    ops.ready(shutdown, EMBEDDED_NODE);
    return {
      config,
      ports: { tcp: connector.tcpPort, ws: connector.wsPort, login: group.httpPort, api: api.port, media: media.port, management },
      adminSecret,
      dataDir,
      log,
      close: () => shutdown.run(config['shutdown.timeout.ms']),
    };
  } catch (err) {
    log.fatal({ err }, 'fscpush embedded server did not start');
    await shutdown.run(config['shutdown.timeout.ms']);
    throw err;
  }
}

function connectorThreadWanted(setting: 'auto' | 'true' | 'false'): boolean {
  return setting === 'true' || (setting === 'auto' && availableParallelism() > 1);
}

/** Listeners sharing a port (SO_REUSEPORT with the kernel spreading connections): Node supports it on these. */
const SHARED_PORTS_PLATFORMS: readonly string[] = ['linux', 'freebsd'];

export function connectorThreadCount(setting: 'auto' | number, platform: string = process.platform): number {
  const shared = SHARED_PORTS_PLATFORMS.includes(platform);
  if (setting === 'auto') return shared ? Math.min(8, 2 * availableParallelism()) : 1;
  if (setting > 1 && !shared) throw new FscError('CONFIG_INVALID', `embedded.connector.threads: ${setting} threads share the client ports with SO_REUSEPORT, which Node offers on ${SHARED_PORTS_PLATFORMS.join(' and ')} only (this is ${platform}); use 1 or auto`);
  return setting;
}
