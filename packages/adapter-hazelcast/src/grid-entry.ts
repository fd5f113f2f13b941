import { FscError } from '@fscpush/core';

/**
 * How a grid value is stored in a cluster map: one JSON string `{"e":<expires at, epoch ms; 0 = never>,"v":<value>}`.
 *
 * The expiry travels with the value because the engine's own TTL is too coarse to be the truth: Hazelcast
 * keeps TTLs in whole seconds (an entry set with a 300 ms TTL is usually gone at once, one with 1500 ms may
 * vanish after 1.0 s) and a compare-and-set `replace` drops the entry's TTL altogether. So readers judge
 * expiry by `e` (to the millisecond, by their own clock), and the engine's TTL, always set a little longer
 * (SERVER_TTL_PADDING_MS), only collects the garbage.
 */
export interface GridEntry<V> {
  value: V;
  /** epoch ms; 0 = never */
  expiresAt: number;
}

/** Added to the remaining lifetime when handing a TTL to the engine, so its whole-second rounding never deletes an entry early. */
export const SERVER_TTL_PADDING_MS = 1000;

/** Expiry for a TTL given now: 0 (never) when the TTL is absent or <= 0, like the embedded grid. */
export function expiresAtFor(ttlMs: number | undefined, now: number): number {
  return ttlMs === undefined || !(ttlMs > 0) ? 0 : now + ttlMs;
}

/** The TTL to hand the engine for an entry expiring at `expiresAt` (0 = keep forever). */
export function serverTtlMs(expiresAt: number, now: number): number {
  return expiresAt === 0 ? 0 : Math.max(0, Math.ceil(expiresAt - now)) + SERVER_TTL_PADDING_MS;
}

/** Serialises a JSON value; deterministic for a given value (key order as built). */
export function encodeEntry(value: unknown, expiresAt: number): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new FscError('INVALID_DATA', `grid values must be JSON data: ${(err as Error).message}`, undefined, { cause: err });
  }
  if (json === undefined) throw new FscError('INVALID_DATA', `grid values must be JSON data, got ${typeof value}`);
  return `{"e":${expiresAt},"v":${json}}`;
}

/** Parses a stored string, expired or not. */
export function parseEntry<V>(raw: string): GridEntry<V> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new FscError('SERVER_ERROR', 'grid entry is not JSON', undefined, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || !('e' in parsed) || !('v' in parsed) || typeof parsed.e !== 'number') {
    throw new FscError('SERVER_ERROR', 'grid entry is not an fscpush entry ({"e":…,"v":…})');
  }
  return { value: parsed.v as V, expiresAt: parsed.e };
}

export function isLive(entry: GridEntry<unknown>, now: number): boolean {
  return entry.expiresAt === 0 || entry.expiresAt > now;
}

/** Parses a stored string; undefined when it has expired at `now`. */
export function decodeEntry<V>(raw: string, now: number): GridEntry<V> | undefined {
  const entry = parseEntry<V>(raw);
  return isLive(entry, now) ? entry : undefined;
}
