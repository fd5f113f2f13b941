import { subSignalFromName } from '@fscpush/protocol';
import type { SubSignalRef } from './im-client.ts';
import { TestkitError } from './testkit-error.ts';

export function toSubSignal(ref: SubSignalRef): number {
  const value = typeof ref === 'number' ? ref : subSignalFromName(ref);
  if (value === undefined) throw new RangeError(`unknown subSignal ${String(ref)}`);
  return value;
}

/** Server output the client cannot read is the server's fault: BAD_RESPONSE. */
export function parseOrBadResponse<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new TestkitError('BAD_RESPONSE', (err as Error).message, { cause: err });
  }
}

export function parseJsonContent(content: string, what: string): unknown {
  return parseOrBadResponse(() => {
    try {
      return JSON.parse(content) as unknown;
    } catch {
      throw new Error(`${what}: content is not JSON: ${content.slice(0, 200)}`);
    }
  });
}
