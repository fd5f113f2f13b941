/**
 * Coalesces lookups requested during one event-loop turn into one call of `loadMany` (one SQL round trip
 * instead of one per lookup). Nothing is cached: every load is answered by a query issued after it was
 * requested, so results are exactly as fresh as separate queries would be. Equal keys share one answer.
 */
export class TickBatcher<K, V> {
  private readonly loadMany: (keys: K[]) => Promise<Map<string, V>>;
  private readonly keyOf: (key: K) => string;
  private readonly maxKeys: number;
  private pending = new Map<string, { key: K; waiters: { resolve: (v: V | undefined) => void; reject: (err: unknown) => void }[] }>();
  private scheduled = false;

  /** loadMany answers a map from keyOf(key) to the value; keys missing from it load as undefined */
  constructor(loadMany: (keys: K[]) => Promise<Map<string, V>>, keyOf: (key: K) => string, maxKeys = 500) {
    this.loadMany = loadMany;
    this.keyOf = keyOf;
    this.maxKeys = maxKeys;
  }

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const id = this.keyOf(key);
      const entry = this.pending.get(id);
      if (entry) entry.waiters.push({ resolve, reject });
      else this.pending.set(id, { key, waiters: [{ resolve, reject }] });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < batch.length; i += this.maxKeys) void this.run(batch.slice(i, i + this.maxKeys));
  }

  private async run(batch: { key: K; waiters: { resolve: (v: V | undefined) => void; reject: (err: unknown) => void }[] }[]): Promise<void> {
    try {
      const found = await this.loadMany(batch.map((e) => e.key));
      for (const entry of batch) {
        const value = found.get(this.keyOf(entry.key));
        for (const w of entry.waiters) w.resolve(value);
      }
    } catch (err) {
      for (const entry of batch) for (const w of entry.waiters) w.reject(err);
    }
  }
}
