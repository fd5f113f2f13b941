import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ShutdownSequence, createLogger, loadConfig, loadTls, type ConfigSource, type Logger } from '@fscpush/core';
import { MinioStorage } from '@fscpush/adapter-minio';
import { createZkNodeIdAllocator, createZkRegistry } from '@fscpush/adapter-zookeeper';
import { installAdminSecret, startPushApi, type ApiSchema } from '@fscpush/push-api';
import { startPushConnector } from '@fscpush/push-connector';
import { startPushGroup, type Schema } from '@fscpush/push-group';
import { advertisedHost, zookeeperConnectString } from './endpoints.ts';
import { chooseAdapters } from '../compose/adapter-choice.ts';
import { openHazelcastGrid, openKafkaBus } from '../compose/open-engines.ts';
import { openServiceStore } from './service-store.ts';
import { instanceKey } from './instance-key.ts';
import { ServiceOps, countConnections } from '@fscpush/ops';

export type ServiceName = 'push-group' | 'push-connector' | 'push-api';

/** FShareChat's Dubbo ports, used when dubbo.protocol.port is empty. */
const DEFAULT_RPC_PORTS: Record<ServiceName, number> = { 'push-connector': 7461, 'push-group': 7463, 'push-api': 7465 };

export interface ClusterOptions extends ConfigSource {
  service: ServiceName;
  log?: Logger;
  /** Something the service cannot run without was lost (its store claim); it has shut itself down. */
  onFatal?: () => void;
}

export interface ClusterService {
  readonly service: ServiceName;
  readonly node: string;
  readonly nodeId: number;
  readonly ports: Record<string, number>;
  readonly log: Logger;
  close(): Promise<string[]>;
}

/**
 * Cluster mode: one service in this process on the real engines — ZooKeeper registry and RPC, Kafka
 * delivery, Hazelcast state, MySQL/MariaDB, MinIO. Same service code as embedded mode; only the adapters
 * differ. Shutdown order matters and is encoded in the order closers are added (last added, first run).
 */
export async function startClusterService(options: ClusterOptions): Promise<ClusterService> {
  const { service } = options;
  const { values: config, warnings } = loadConfig({ ...options, service });
  const adapters = chooseAdapters('cluster', config);
  const ops = new ServiceOps(config, service);
  const log = options.log ?? createLogger(service, { level: config['log.level'], destination: ops.logDestination });
  for (const warning of warnings) log.warn(warning);
  const dataDir = resolve(config['fscpush.data.dir']);
  mkdirSync(dataDir, { recursive: true });
  const zookeeper = { connect: zookeeperConnectString(config['dubbo.registry.address']), sessionTimeoutMs: config['zookeeper.session.timeout.ms'], logger: log };

  const shutdown = new ShutdownSequence();
  try {
    const management = await ops.listen(log, shutdown);
    const allocator = await createZkNodeIdAllocator({ zookeeper, logger: log });
    shutdown.add('node-id-lease', () => allocator.close());
    const nodeId = config['node.id'] !== '' ? config['node.id'] : await allocator.allocate(instanceKey(dataDir, service));
    const node = service === 'push-connector' ? `connector-${nodeId}@${randomUUID().slice(0, 8)}` : `${service}-${nodeId}`;
    const nodeLog = log.child({ node });

    const bus = openKafkaBus(config, node, nodeLog, ops);
    shutdown.add('bus', () => bus.close());
    const registry = ops.registry(await createZkRegistry({
      zookeeper,
      nodeId: node,
      application: service,
      host: advertisedHost(config['dubbo.protocol.host'], config['server.address']),
      bindHost: config['server.address'],
      port: config['dubbo.protocol.port'] === '' ? DEFAULT_RPC_PORTS[service] : config['dubbo.protocol.port'],
      callTimeoutMs: config['rpc.timeout.ms'],
      logger: nodeLog,
    }));
    const httpTls = loadTls('server.ssl.cert', config['server.ssl.cert'], 'server.ssl.key', config['server.ssl.key']);
    const ports: Record<string, number> = {};

    if (service === 'push-connector') {
      const storage = ops.media(new MinioStorage({
        endpoint: config['minio.url'],
        accessKey: config['minio.access_key'],
        secretKey: config['minio.secret_key'],
        ...(config['minio.public.url'] !== '' && { publicUrl: config['minio.public.url'] }),
      }));
      shutdown.add('registry', () => registry.close());
      const wsTls = loadTls('push.ssl.cert', config['push.ssl.cert'], 'push.ssl.key', config['push.ssl.key']);
      const connector = await startPushConnector({ config, node, registry, bus, storage, log: nodeLog, ...(wsTls && { wsTls }) });
      shutdown.add('push-connector', () => connector.close());
      ops.connector(() => countConnections(connector.table.connections()), () => connector.rejectedEvents());
      Object.assign(ports, { tcp: connector.tcpPort, ws: connector.wsPort });
    } else {
      const grid = await openHazelcastGrid(config, nodeLog, ops);
      shutdown.add('grid', () => grid.close());
      const store = ops.store(await openServiceStore<Schema & ApiSchema>({ config, service, sqlite: adapters.store === 'sqlite', dataDir, zookeeper, shutdown, log: nodeLog, ...(options.onFatal && { onFatal: options.onFatal }) }));
      shutdown.add('store', () => store.close());
      if (service === 'push-group') {
        const group = await startPushGroup({ config, nodeId, registry, bus, grid, store, log: nodeLog, ...(httpTls && { tls: httpTls }) });
        shutdown.add('push-group', () => group.close());
        // closed first: deregister, then drain the calls in flight while the writer still runs
        shutdown.add('registry', () => registry.close());
        ports['login'] = group.httpPort;
      } else {
        shutdown.add('registry', () => registry.close());
        const adminSecret = config['im.admin_secret'] !== '' ? config['im.admin_secret'] : await installAdminSecret(store, dataDir, nodeLog);
        const api = await startPushApi({ config, registry, store, grid, adminSecret, log: nodeLog, ...(httpTls && { tls: httpTls }) });
        shutdown.add('push-api', () => api.close());
        ports['api'] = api.port;
      }
    }
    ports['management'] = management;
    nodeLog.info({ service, nodeId, ...ports }, `fscpush ${service} started`);
    ops.ready(shutdown, node);
    return { service, node, nodeId, ports, log: nodeLog, close: () => shutdown.run(config['shutdown.timeout.ms']) };
  } catch (err) {
    log.fatal({ err }, `fscpush ${service} did not start`);
    await shutdown.run(config['shutdown.timeout.ms']);
    throw err;
  }
}
