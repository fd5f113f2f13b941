import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A process's identity across restarts, kept in its data dir: the same instance gets the same node id
 * from ZooKeeper every time it starts (a configured node.id still wins).
 */
export function instanceKey(dataDir: string, service: string): string {
  const file = join(dataDir, `${service}.instance`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = `${service}-${randomUUID()}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
