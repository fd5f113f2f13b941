import type { AttemptOutcome } from './wire/provider-connection.ts';

/**
 * Whether a failed attempt may be sent to another provider.
 *
 * - The provider provably did not run the call (`not-sent`: it was never written; `rejected`: the provider
 *   answered SHUTTING_DOWN / not provided here / busy before dispatch): retry, whatever the method.
 * - It may have run (`unknown`: written, then timeout or connection/provider lost): retry only methods the
 *   consumer declared idempotent; running a non-idempotent one twice (send a message twice) is worse
 *   than failing.
 * - It ran and failed (`answered`): never; the error is the answer.
 */
export function mayRetry(outcome: AttemptOutcome, idempotent: boolean): boolean {
  switch (outcome) {
    case 'not-sent':
    case 'rejected':
      return true;
    case 'unknown':
      return idempotent;
    case 'answered':
      return false;
  }
}
