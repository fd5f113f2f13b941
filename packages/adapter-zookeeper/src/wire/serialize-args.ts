import { FscError } from '@fscpush/core';

/**
 * Serialises call arguments once per call (retries reuse it). Throws INVALID_DATA for values JSON cannot
 * carry (bigint, cycles) so the provider is never called with them.
 */
export function serializeArgs(args: readonly unknown[]): string {
  try {
    return JSON.stringify(args);
  } catch (err) {
    throw new FscError('INVALID_DATA', `arguments are not JSON-serialisable: ${(err as Error).message}`);
  }
}
