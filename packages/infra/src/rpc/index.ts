/**
 * Service registry + remote calls. A provider publishes an object under a service name; consumers get a
 * proxy whose methods return promises. Arguments and results must be JSON-serialisable plain data:
 * cluster mode sends them over the network. Failures arrive as FscError (codes cross the wire by name).
 *
 * Guarantees: a call reaches at most one provider per attempt; only methods listed as idempotent are
 * retried on another provider; a provider that leaves fails its in-flight calls with RPC_NO_PROVIDER.
 */
export type LoadBalance = 'random' | 'round-robin' | 'least-active' | 'consistent-hash';

export interface ConsumeOptions {
  timeoutMs?: number;
  /** Methods safe to retry on another provider after a connection failure or timeout. */
  idempotent?: readonly string[];
  balance?: LoadBalance;
}

export interface ProvideOptions {
  weight?: number;
}

export interface ServiceRegistry {
  provide(service: string, impl: object, options?: ProvideOptions): Promise<void>;
  consume<T extends object>(service: string, options?: ConsumeOptions): T;
  /** Providers currently known for a service (node ids), for health and tests. */
  providers(service: string): string[];
  close(): Promise<void>;
}
