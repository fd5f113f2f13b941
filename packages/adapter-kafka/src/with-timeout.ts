import { FscError, type ErrorCode } from '@fscpush/core';

/**
 * Settles with `promise`, or rejects with FscError(code) after `ms`. The underlying work is not cancelled:
 * callers use this only where kafkajs' own retries are already bounded, as a backstop.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string, code: ErrorCode = 'BUS_UNAVAILABLE'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FscError(code, `${what}: no answer within ${ms} ms`, { timeoutMs: ms })), Math.max(1, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A delay that ends early when `signal` aborts (resolves either way; callers check the signal). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
