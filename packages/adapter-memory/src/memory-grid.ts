import type { GridMap, SharedGrid } from '@fscpush/ports';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

const SWEEP_INTERVAL_MS = 30_000;

class MemoryGridMap<V> implements GridMap<V> {
  readonly entries = new Map<string, Entry<V>>();

  async get(key: string): Promise<V | undefined> {
    return this.live(key)?.value;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, V>> {
    const found = new Map<string, V>();
    for (const key of keys) {
      const entry = this.live(key);
      if (entry) found.set(key, entry.value);
    }
    return found;
  }

  async set(key: string, value: V, ttlMs?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: expiry(ttlMs) });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async update(key: string, fn: (current: V | undefined) => V | undefined, ttlMs?: number): Promise<V | undefined> {
    const next = fn(this.live(key)?.value);
    if (next === undefined) this.entries.delete(key);
    else this.entries.set(key, { value: next, expiresAt: expiry(ttlMs) });
    return next;
  }

  async increment(key: string, delta: number, ttlMs: number): Promise<number> {
    const current = this.live(key);
    if (current) {
      current.value = ((current.value as number) + delta) as V;
      return current.value as number;
    }
    this.entries.set(key, { value: delta as V, expiresAt: expiry(ttlMs) });
    return delta;
  }

  sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  private live(key: string): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

function expiry(ttlMs: number | undefined): number {
  return ttlMs === undefined || ttlMs <= 0 ? Number.POSITIVE_INFINITY : Date.now() + ttlMs;
}

/** Embedded grid: plain maps in this process, expired entries swept periodically. */
export class MemoryGrid implements SharedGrid {
  private readonly maps = new Map<string, MemoryGridMap<unknown>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const map of this.maps.values()) map.sweep(now);
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  map<V>(name: string): GridMap<V> {
    let map = this.maps.get(name);
    if (!map) {
      map = new MemoryGridMap<unknown>();
      this.maps.set(name, map);
    }
    return map as GridMap<V>;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.maps.clear();
  }
}
