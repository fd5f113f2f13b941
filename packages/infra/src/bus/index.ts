/**
 * Message bus between services (Kafka in cluster mode).
 *
 * Guarantees: publish resolves once the records are accepted durably by the bus; records with the same
 * key reach subscribers in publish order; each record reaches one subscriber per group at least once —
 * a batch is committed only after the handler's promise resolves, and redelivered if it rejects or the
 * subscriber dies. Handlers must therefore tolerate duplicates.
 */
export interface BusRecord {
  key: string;
  value: Uint8Array;
}

export type BusHandler = (records: BusRecord[]) => Promise<void>;

export interface Subscription {
  close(): Promise<void>;
}

export interface MessageBus {
  ensureTopics(topics: string[]): Promise<void>;
  publish(topic: string, records: BusRecord[]): Promise<void>;
  subscribe(topic: string, group: string, handler: BusHandler): Promise<Subscription>;
  close(): Promise<void>;
}
