import { setTimeout as sleep } from 'node:timers/promises';
import { FscError } from '@fscpush/core';
import type { IMap } from 'hazelcast-client';
import type { GridMap } from '@fscpush/ports';
import { SERVER_TTL_PADDING_MS, encodeEntry, expiresAtFor, isLive, parseEntry, serverTtlMs, type GridEntry } from './grid-entry.ts';

/** One IMap of the grid as its GridMap sees it: every call bounded in time, failures already FscErrors. */
export interface MapAccess {
  /** The IMap's full name, for messages. */
  readonly name: string;
  /** Upper bound of one compare-and-set loop. */
  readonly updateTimeoutMs: number;
  call<T>(op: string, fn: (map: IMap<string, string>) => Promise<T>): Promise<T>;
}

/** How often restoreTtl re-applies a TTL because other writers replaced the value meanwhile. */
const MAX_TTL_REPAIRS = 10;
/** Largest pause between two compare-and-set attempts (random, growing with the attempts). */
const MAX_CAS_BACKOFF_MS = 100;

/**
 * A grid map on a Hazelcast IMap<string, string> (values as in grid-entry.ts). Writes of other processes are
 * visible to the next read. update/increment are compare-and-set loops on the stored string —
 * putIfAbsent (absent), replaceIfSame (present), remove(key, old) (deleted) — so concurrent writers, in
 * this process or another, never lose an update; the update function may run more than once.
 */
export class HazelcastGridMap<V> implements GridMap<V> {
  private readonly access: MapAccess;

  constructor(access: MapAccess) {
    this.access = access;
  }

  async get(key: string): Promise<V | undefined> {
    const raw = await this.read(key);
    if (raw === null) return undefined;
    const entry = parseEntry<V>(raw);
    const now = Date.now();
    if (isLive(entry, now)) return entry.value;
    // Normally the member drops it within SERVER_TTL_PADDING_MS; long past that, its TTL was lost (a writer
    // died between replace and setTtl): remove it, only if unchanged.
    if (now - entry.expiresAt > 2 * SERVER_TTL_PADDING_MS) {
      void this.access.call('remove', (m) => m.remove(key, raw)).catch(() => undefined);
    }
    return undefined;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, V>> {
    const found = new Map<string, V>();
    if (keys.length === 0) return found;
    const pairs = await this.access.call('getAll', (m) => m.getAll([...new Set(keys)]));
    const now = Date.now();
    for (const [key, raw] of pairs) {
      const entry = parseEntry<V>(raw);
      if (isLive(entry, now)) found.set(key, entry.value);
    }
    return found;
  }

  async set(key: string, value: V, ttlMs?: number): Promise<void> {
    if (value === undefined) return this.delete(key);
    const now = Date.now();
    const expiresAt = expiresAtFor(ttlMs, now);
    const encoded = encodeEntry(value, expiresAt);
    await this.access.call('set', (m) => m.set(key, encoded, serverTtlMs(expiresAt, now)));
  }

  async delete(key: string): Promise<void> {
    await this.access.call('delete', (m) => m.delete(key));
  }

  async update(key: string, fn: (current: V | undefined) => V | undefined, ttlMs?: number): Promise<V | undefined> {
    const entry = await this.compareAndSet<V>(key, 'update', (current, now) => {
      const next = fn(current?.value);
      return next === undefined ? undefined : { value: next, expiresAt: expiresAtFor(ttlMs, now) };
    });
    return entry?.value;
  }

  async increment(key: string, delta: number, ttlMs: number): Promise<number> {
    if (!Number.isFinite(delta)) throw new FscError('INVALID_DATA', 'increment: delta must be a finite number');
    const entry = await this.compareAndSet<number>(key, 'increment', (current, now) => {
      if (current === undefined) return { value: delta, expiresAt: expiresAtFor(ttlMs, now) };
      if (typeof current.value !== 'number') throw new FscError('INVALID_DATA', `increment: ${key} in ${this.access.name} is not a number`);
      // the counter keeps the expiry it was created with
      return { value: current.value + delta, expiresAt: current.expiresAt };
    });
    return entry!.value;
  }

  /** Reads, computes, writes only if the stored string is still the one read; retries otherwise. */
  private async compareAndSet<T>(
    key: string,
    op: string,
    step: (current: GridEntry<T> | undefined, now: number) => GridEntry<T> | undefined,
  ): Promise<GridEntry<T> | undefined> {
    const deadline = Date.now() + this.access.updateTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const raw = await this.read(key);
      const now = Date.now();
      const stored = raw === null ? undefined : parseEntry<T>(raw);
      const next = step(stored !== undefined && isLive(stored, now) ? stored : undefined, now);
      if (await this.write(key, raw, next, now)) return next;
      if (Date.now() >= deadline) {
        throw new FscError('GRID_UNAVAILABLE', `grid ${op} gave up after ${attempt} attempts: the entry changed under every one`, {
          map: this.access.name,
          attempts: attempt,
        });
      }
      await sleep(Math.random() * Math.min(2 ** attempt, MAX_CAS_BACKOFF_MS));
    }
  }

  /** One compare-and-set step from `raw` (null: absent) to `next` (undefined: delete); false when raw is stale. */
  private async write(key: string, raw: string | null, next: GridEntry<unknown> | undefined, now: number): Promise<boolean> {
    if (next === undefined) {
      return raw === null || (await this.access.call('remove', (m) => m.remove(key, raw))) === true;
    }
    const encoded = encodeEntry(next.value, next.expiresAt);
    if (raw === null) {
      const previous = await this.access.call('putIfAbsent', (m) => m.putIfAbsent(key, encoded, serverTtlMs(next.expiresAt, now)));
      return previous === null || previous === undefined;
    }
    if (encoded === raw) return true; // same value and expiry: nothing to write
    if (!(await this.access.call('replace', (m) => m.replaceIfSame(key, raw, encoded)))) return false;
    if (next.expiresAt !== 0) await this.restoreTtl(key, encoded, next.expiresAt);
    return true;
  }

  /**
   * replaceIfSame leaves the entry without a TTL (Hazelcast 5.6): put back the one its value carries. A
   * writer that replaced the value between our replace and our setTtl got our TTL on its value, so after
   * each setTtl we look again and, if the value changed, apply the TTL that value carries. Every writer
   * doing this, the entry ends with the TTL of its final value.
   */
  private async restoreTtl(key: string, written: string, expiresAt: number): Promise<void> {
    let expected = written;
    let expiry = expiresAt;
    for (let i = 0; i < MAX_TTL_REPAIRS; i++) {
      await this.access.call('setTtl', (m) => m.setTtl(key, serverTtlMs(expiry, Date.now())));
      const current = await this.read(key);
      if (current === null || current === expected) return;
      expected = current;
      expiry = parseEntry(current).expiresAt;
    }
  }

  private async read(key: string): Promise<string | null> {
    const raw = await this.access.call('get', (m) => m.get(key));
    return raw ?? null;
  }
}
