import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/**
 * A name no other test (or earlier run against a shared engine) has used, so contract suites can run
 * against one long-lived Kafka/Hazelcast/ZooKeeper without cleaning up between tests.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Polls until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}
