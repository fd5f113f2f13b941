/**
 * Message bus between services (Kafka in cluster mode).
 *
 * Guarantees: publish resolves once the records are accepted durably by the bus; records with the same
 * key reach subscribers in publish order; each record reaches one subscriber per group at least once —
 * a batch is committed only after the handler's promise resolves, and redelivered if it rejects or the
 * subscriber dies. Handlers must therefore tolerate duplicates.
 * subscribe resolves once the subscription is live: every record published after that reaches it. A
 * group subscribing for the first time gets nothing published before. Records published while a known
 * group has no live subscriber: the embedded bus drops them; Kafka keeps them (retention) and the group's
 * next subscriber resumes after its last committed batch.
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
