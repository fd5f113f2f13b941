export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON.parse that keeps integers beyond 2^53 exact by returning them as decimal strings
 * (FShareChat ids are ~5e17; a number there has already lost digits).
 */
export function parseJsonLossless(text: string): JsonValue {
  return JSON.parse(text, keepUnsafeIntegers) as JsonValue;
}

/** JSON.stringify that writes bigint values as decimal strings (ids are strings on the web side). */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function keepUnsafeIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && /^-?\d+$/.test(source) ? source : value;
}
