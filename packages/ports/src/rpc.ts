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
  /**
   * With balance 'consistent-hash': the key a call is routed by (undefined: the strategy's default key).
   * E.g. sends of one conversation to one provider, so two providers never write the same rows.
   */
  routeKey?: (method: string, args: readonly unknown[]) => string | undefined;
}

export interface ProvideOptions {
  weight?: number;
  /** the provider's node when it is not the registry's own (embedded: a worker thread of this process) */
  node?: string;
}

export interface ServiceRegistry {
  provide(service: string, impl: object, options?: ProvideOptions): Promise<void>;
  consume<T extends object>(service: string, options?: ConsumeOptions): T;
  /** Providers currently known for a service (node ids), for health and tests. */
  providers(service: string): string[];
  /**
   * Calls `listener` with the current provider node ids of `service` and again on every change
   * (e.g. push-group learns that a connector died and purges its sessions). Returns an unsubscribe.
   */
  watchProviders(service: string, listener: (nodes: string[]) => void): () => void;
  close(): Promise<void>;
}

/**
 * Numeric node ids 0–1023 (message-id node bits). The same `instanceKey` (kept in the instance's data
 * dir) gets the same id across restarts; two live instances never share one.
 */
export interface NodeIdAllocator {
  allocate(instanceKey: string): Promise<number>;
}
