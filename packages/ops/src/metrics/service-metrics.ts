import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { FSCPUSH_BUILD } from '../version.ts';

/** RPC calls are short; the buckets reach the default call timeout (5 s) and past it. */
const RPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every metric one fscpush process exposes on GET /metrics, in its own prom-client registry (tests run
 * several servers in one process). Names are documented in README's Operations section.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly rpcClient: Histogram<'service' | 'method' | 'outcome'>;
  readonly rpcServer: Histogram<'service' | 'method' | 'outcome'>;
  readonly messagesIn: Counter<'outcome'>;
  readonly messagesOut: Counter;
  readonly pulls: Counter<'outcome'>;
  readonly acks: Counter<'outcome'>;
  readonly busPublished: Counter<'topic'>;
  readonly busPublishErrors: Counter<'topic'>;
  readonly busConsumed: Counter<'topic'>;
  readonly busHandlerErrors: Counter<'topic'>;
  readonly logErrors: Counter<'level'>;

  constructor(service: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    new Gauge({ name: 'fscpush_build_info', help: 'fscpush version and Node.js runtime of this process (always 1)', labelNames: ['version', 'node'], registers }).set({ version: FSCPUSH_BUILD.version, node: process.version }, 1);
    this.rpcClient = new Histogram({ name: 'fscpush_rpc_client_duration_seconds', help: 'remote calls made by this process, by service, method and outcome (ok or the error code)', labelNames: ['service', 'method', 'outcome'], buckets: RPC_BUCKETS, registers });
    this.rpcServer = new Histogram({ name: 'fscpush_rpc_server_duration_seconds', help: 'remote calls served by this process, by service, method and outcome (ok or the error code)', labelNames: ['service', 'method', 'outcome'], buckets: RPC_BUCKETS, registers });
    this.messagesIn = new Counter({ name: 'fscpush_messages_in_total', help: 'messages sent by clients and the API, as handled by push-group (outcome ok = stored)', labelNames: ['outcome'], registers });
    this.messagesOut = new Counter({ name: 'fscpush_messages_out_total', help: 'messages handed to devices in pull results', registers });
    this.pulls = new Counter({ name: 'fscpush_pulls_total', help: 'message pulls served by push-group', labelNames: ['outcome'], registers });
    this.acks = new Counter({ name: 'fscpush_acks_total', help: 'sends answered by push-group to this process (a connector turns ok into PUB_ACK with the message id)', labelNames: ['outcome'], registers });
    this.busPublished = new Counter({ name: 'fscpush_bus_published_records_total', help: 'records published on the message bus', labelNames: ['topic'], registers });
    this.busPublishErrors = new Counter({ name: 'fscpush_bus_publish_errors_total', help: 'failed publish calls on the message bus', labelNames: ['topic'], registers });
    this.busConsumed = new Counter({ name: 'fscpush_bus_consumed_records_total', help: 'records handled from the message bus', labelNames: ['topic'], registers });
    this.busHandlerErrors = new Counter({ name: 'fscpush_bus_handler_errors_total', help: 'record batches whose handler failed (they are redelivered)', labelNames: ['topic'], registers });
    this.logErrors = new Counter({ name: 'fscpush_log_errors_total', help: 'log lines at level error or fatal', labelNames: ['level'], registers });
  }

  /** A gauge whose value is read when scraped. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: ScrapeRead<L>): void {
    new Gauge<L>({ name, help, labelNames, registers: [this.registry], collect: collectFrom(read, (gauge: Gauge<L>, labels, value) => gauge.set(labels, value)) });
  }

  /** A counter kept by someone else (a connector thread), read as totals when scraped. */
  counterRead<L extends string>(name: string, help: string, labelNames: readonly L[], read: ScrapeRead<L>): void {
    new Counter<L>({ name, help, labelNames, registers: [this.registry], collect: collectFrom(read, (counter: Counter<L>, labels, total) => counter.inc(labels, total)) });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

type ScrapeRead<L extends string> = (set: (labels: Record<L, string>, value: number) => void) => void | Promise<void>;

/** A prom-client collect(): the metric starts empty and takes what `read` reports. */
function collectFrom<L extends string, M extends { reset(): void }>(read: ScrapeRead<L>, put: (metric: M, labels: Partial<Record<L, string | number>>, value: number) => void) {
  return async function collect(this: M): Promise<void> {
    this.reset();
    await read((labels, value) => put(this, labels, value));
  };
}
