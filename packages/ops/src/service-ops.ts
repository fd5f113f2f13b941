import { FscError, type ConfigValues, type Logger, type ShutdownSequence } from '@fscpush/core';
import type { MessageBus, ObjectStorage, ServiceRegistry, SharedGrid, Store } from '@fscpush/ports';
import { HealthChecks } from './health/health-checks.ts';
import { gridProbe, mediaProbe, registryProbe, storeProbe } from './health/probes.ts';
import { KafkaAdminProbe } from './kafka/kafka-admin-probe.ts';
import { createLogDestination, type LogDestination } from './logging/log-output.ts';
import { managementAddress, type OpsService } from './management/management-address.ts';
import { startManagementServer, type ManagementServer } from './management/management-server.ts';
import { instrumentBus, type BusSubscriptionRef } from './metrics/instrument-bus.ts';
import { instrumentRegistry } from './metrics/instrument-registry.ts';
import { ServiceMetrics } from './metrics/service-metrics.ts';
import type { ConnectionCount, RejectedEventCount } from './metrics/connection-counts.ts';

/**
 * Operability of one process, used by the composition roots: wraps the ports with metrics and health
 * probes, owns the log destination and the management port (GET /health, /health/live, /metrics).
 *
 *   const ops = new ServiceOps(config, 'push-group');
 *   const log = createLogger(name, { level, destination: ops.logDestination });
 *   await ops.listen(log, shutdown);            // early: a taken port fails before the engines are touched
 *   const registry = ops.registry(await createZkRegistry(...));   // likewise bus, store, grid, media
 *   ops.ready(shutdown, node);                  // readiness turns "up"; turns "stopping" when shutdown starts
 */
export class ServiceOps {
  readonly service: OpsService;
  readonly metrics: ServiceMetrics;
  readonly health = new HealthChecks();
  private readonly config: ConfigValues;
  private readonly subscriptions = new Set<BusSubscriptionRef>();
  private kafka: KafkaAdminProbe | undefined;
  private server: ManagementServer | undefined;
  private node: string | undefined;
  private destination: LogDestination | undefined;

  constructor(config: ConfigValues, service: OpsService) {
    this.config = config;
    this.service = service;
    this.metrics = new ServiceMetrics(service);
    this.metrics.gauge('fscpush_ready', 'readiness as GET /health reports it: 1 up, 0 starting, down or stopping', [], async (set) => {
      set({}, (await this.health.report()).status === 'up' ? 1 : 0);
    });
    this.metrics.gauge('fscpush_health_check_up', 'each dependency probed by GET /health: 1 reachable, 0 not', ['check'], async (set) => {
      for (const [check, result] of Object.entries((await this.health.report()).checks)) set({ check }, result.status === 'up' ? 1 : 0);
    });
  }

  /** Where the process's logger writes (logging.file or stdout); opened on first use. */
  get logDestination(): LogDestination {
    this.destination ??= createLogDestination(this.config, (level) => this.metrics.logErrors.inc({ level }));
    return this.destination;
  }

  /** The management port, or 0 before listen(). */
  get port(): number {
    return this.server?.port ?? 0;
  }

  /** Starts the management port; it closes last, after everything registered later on `shutdown`. */
  async listen(log: Logger, shutdown: ShutdownSequence): Promise<number> {
    const { host, port } = managementAddress(this.config, this.service);
    try {
      this.server = await startManagementServer({ address: host, port, service: this.service, health: this.health, metrics: this.metrics, log, node: () => this.node });
    } catch (err) {
      throw new FscError('CONFIG_INVALID', `management.port: cannot listen on ${host}:${port} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    shutdown.add('management', async () => {
      await this.server?.close();
      await this.kafka?.close();
    });
    return this.server.port;
  }

  /** Call when the service has started: readiness becomes "up"; it becomes "stopping" as soon as shutdown begins. */
  ready(shutdown: ShutdownSequence, node?: string): void {
    this.node = node;
    this.health.started();
    shutdown.add('readiness', () => this.health.stopping());
  }

  registry<R extends ServiceRegistry>(registry: R): R {
    this.health.add('registry', registryProbe(registry));
    return instrumentRegistry(registry, this.metrics);
  }

  /** With `kafkaBrokers` (cluster mode) the bus is probed and its consumer lag reported through an admin connection. */
  bus<B extends MessageBus>(bus: B, kafka?: { brokers: string[]; clientId: string }): B {
    if (kafka) {
      const probe = new KafkaAdminProbe(kafka.brokers, `${kafka.clientId.replace(/[^A-Za-z0-9._-]/g, '-')}-ops`);
      this.kafka = probe;
      this.health.add('bus', () => probe.ping());
      this.metrics.gauge('fscpush_bus_consumer_lag', 'records on the bus not yet handled by this process, per topic and consumer group', ['topic', 'group'], async (set) => {
        const lags = await probe.lag(this.subscriptions).catch(() => []);
        for (const { topic, group, lag } of lags) set({ topic, group }, lag);
      });
    } else {
      this.health.add('bus', async () => undefined);
    }
    return instrumentBus(bus, this.metrics, this.subscriptions);
  }

  store<S extends Store>(store: S): S {
    this.health.add('store', storeProbe(store));
    return store;
  }

  grid<G extends SharedGrid>(grid: G): G {
    this.health.add('grid', gridProbe(grid));
    return grid;
  }

  media<M extends ObjectStorage>(storage: M): M {
    this.health.add('media', mediaProbe(storage, `${this.config['media.bucket.prefix']}general-name`));
    return storage;
  }

  /** The connections gauge, from the connector's counts (read at each scrape; may cross to another thread). */
  connector(counts: () => Promise<ConnectionCount[]> | ConnectionCount[], rejectedEvents?: () => Promise<RejectedEventCount[]> | RejectedEventCount[]): void {
    this.metrics.gauge('fscpush_connections', 'client connections, by transport and state (open = authenticated)', ['transport', 'state'], async (set) => {
      for (const { transport, state, count } of await counts()) set({ transport, state }, count);
    });
    if (!rejectedEvents) return;
    this.metrics.counterRead('fscpush_bus_events_rejected_total', 'delivery events a connector skipped as unreadable, by reason (unknown-version, unknown-kind, malformed) and kind', ['reason', 'kind'], async (set) => {
      for (const { reason, kind, count } of await rejectedEvents()) set({ reason, kind }, count);
    });
  }


}
