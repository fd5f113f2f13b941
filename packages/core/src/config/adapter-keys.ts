import { z } from 'zod';
import type { KeySpec } from './keys.ts';

const adapterName = z.string().trim().regex(/^(?:[a-z][a-z0-9-]*)?$/, 'an adapter name (lower case), or empty for the mode default');

/**
 * Which adapter serves each port. Empty = what the mode uses (embedded: memory, memory, memory, sqlite,
 * local-files; cluster: zookeeper, kafka, hazelcast, mysql — sqlite with im.embed_db=1 —, minio). Each
 * adapter takes its options from its engine's own keys (push.kafka.*, hazelcast.*, im.jdbc_url, minio.*…).
 */
export const ADAPTER_KEYS = {
  'fscpush.registry': { schema: adapterName, default: '', description: 'registry and RPC adapter: memory (embedded) or zookeeper (cluster); empty = the mode default' },
  'fscpush.bus': { schema: adapterName, default: '', description: 'message bus adapter: memory or kafka (push.kafka.*); the all-in-one server can run on a real Kafka; empty = the mode default' },
  'fscpush.grid': { schema: adapterName, default: '', description: 'shared grid adapter: memory or hazelcast (hazelcast.*); the all-in-one server can run on a real Hazelcast; empty = the mode default' },
  'fscpush.store': { schema: adapterName, default: '', description: "store adapter: sqlite or mysql (im.jdbc_url…); for push-group/push-api in cluster mode sqlite is im.embed_db=1; empty = the mode default" },
  'fscpush.media': { schema: adapterName, default: '', description: 'media adapter: local-files (embedded) or minio (minio.*, cluster); empty = the mode default' },
} as const satisfies Record<string, KeySpec>;
