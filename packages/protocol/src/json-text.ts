export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON.parse that keeps integers beyond 2^53 exact by returning them as decimal strings
 * (FShareChat ids are ~5e17; a number there has already lost digits).
 */
export function parseJsonLossless(text: string): JsonValue {
  return JSON.parse(text, keepUnsafeIntegers) as JsonValue;
}

/**
 * JSON.stringify that writes bigint values as decimal strings (ids are strings on the web side). Values
 * rarely hold a bigint, and a replacer takes JSON.stringify off its fast path: it is used only when the
 * plain call refuses one.
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return JSON.stringify(value, bigintAsString);
  }
}

function bigintAsString(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

function keepUnsafeIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && /^-?\d+$/.test(source) ? source : value;
}
