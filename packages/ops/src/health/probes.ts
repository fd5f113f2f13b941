import type { ObjectStorage, ServiceRegistry, SharedGrid, Store } from '@fscpush/ports';
import type { Probe } from './health-checks.ts';

/** The ZooKeeper registry exposes its session; the in-process registry is always reachable. */
interface ZookeeperBacked {
  zookeeper: { exists(path: string): Promise<unknown> };
}

export function registryProbe(registry: ServiceRegistry): Probe {
  const zk = (registry as Partial<ZookeeperBacked>).zookeeper;
  return zk ? () => zk.exists('/') : async () => undefined;
}

export function storeProbe(store: Store): Probe {
  return () => store.db.selectFrom('kv').select('k').limit(1).execute();
}

export function gridProbe(grid: SharedGrid): Probe {
  const map = grid.map<number>('fscpush.health');
  return () => map.get('probe');
}

/** Reads a key that does not exist: answered "not found" by a reachable storage, an error otherwise. */
export function mediaProbe(storage: ObjectStorage, bucket: string): Probe {
  return () => storage.get(bucket, 'fscpush-health-probe');
}
