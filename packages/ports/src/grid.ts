/**
 * Shared state across service instances (Hazelcast in cluster mode): named maps of JSON values with
 * optional per-entry TTL. `update` is atomic per key: concurrent updates of one key never lose a write
 * (a compare-and-set loop in cluster mode, so the function may run more than once and must be pure).
 */
export interface GridMap<V> {
  get(key: string): Promise<V | undefined>;
  /** The live values of those keys that have one (one round trip per grid member, not per key). */
  getMany(keys: readonly string[]): Promise<Map<string, V>>;
  set(key: string, value: V, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Applies fn to the current value; undefined from fn deletes the entry. Returns the new value. */
  update(key: string, fn: (current: V | undefined) => V | undefined, ttlMs?: number): Promise<V | undefined>;
  /** Adds delta to a counter, creating it with the TTL when absent (the TTL is not extended). */
  increment(key: string, delta: number, ttlMs: number): Promise<number>;
}

export interface SharedGrid {
  map<V>(name: string): GridMap<V>;
  close(): Promise<void>;
}
