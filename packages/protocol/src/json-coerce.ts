import { ProtocolError } from './protocol-error.ts';

/** Field readers for client JSON. Numbers may arrive as digit strings (the reference's fastjson coerced them). */

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readInt32(value: unknown, path: string): number {
  const n = typeof value === 'string' && /^-?\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
    throw badContent(`${path} must be an integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function readOptionalInt32(value: unknown, path: string): number | undefined {
  return value === undefined || value === null || value === '' ? undefined : readInt32(value, path);
}

export function readOptionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badContent(`${path} must be a string`);
  return value;
}

export function readStringArray(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw badContent(`${path} must be an array of strings`);
  }
  return value as string[];
}

/** A non-negative 64-bit cursor/id as a decimal string; anything unparsable ("undefined", null, junk) → "0". */
export function lenientId(value: unknown): string {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value)
    : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,19}$/.test(text)) return '0';
  const big = BigInt(text);
  return big > 2n ** 63n - 1n ? '0' : big.toString();
}

/** Exact decimal id string for ids the web client echoes back (strings, or numbers when small). */
export function readId(value: unknown, path: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d{1,19}$/.test(value.trim())) {
    const big = BigInt(value.trim());
    if (big <= 2n ** 63n - 1n) return big.toString();
  }
  throw badContent(`${path} must be a decimal id, got ${JSON.stringify(value)}`);
}

export function badContent(message: string): ProtocolError {
  return new ProtocolError('WS_BAD_CONTENT', message);
}
