import { z } from 'zod';
import type { KeySpec } from './keys.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const hostPorts = z.string().regex(/^[A-Za-z0-9.\-[\]:]+(,[A-Za-z0-9.\-[\]:]+)*$/, 'a comma-separated host:port list');

/**
 * Cluster-mode keys, spelled as in FShareChat's application.properties so an operator's file carries
 * over: Dubbo/ZooKeeper, Kafka, Hazelcast, MySQL (im.jdbc_url…), MinIO.
 */
export const CLUSTER_KEYS = {
  'dubbo.registry.address': { schema: z.string().regex(/^zookeeper:\/\/[^\s]+$/, 'zookeeper://host:port[,host:port]'), default: 'zookeeper://127.0.0.1:2181', description: 'ZooKeeper of the service registry (Dubbo layout /dubbo/<service>/providers); also ?backup=host:port,…' },
  'dubbo.protocol.host': { schema: z.string(), default: '', description: 'address other hosts reach this process at for RPC; empty = server.address (set it on multi-host installs)' },
  'dubbo.protocol.port': { schema: z.union([z.literal(''), port]), default: '', description: 'RPC listener port; empty = the service default (push-connector 7461, push-group 7463, push-api 7465); 0 = any free port' },
  'zookeeper.session.timeout.ms': { schema: positiveInt, default: '10000', description: 'ZooKeeper session timeout: how soon a dead process leaves the registry' },
  'rpc.timeout.ms': { schema: positiveInt, default: '5000', description: 'timeout of one remote call attempt' },
  'push.kafka.broker': { schema: hostPorts, default: '127.0.0.1:9092', description: 'Kafka bootstrap brokers (comma-separated); delivery events travel on one topic per connector' },
  'push.kafka.partitions': { schema: positiveInt, default: '3', description: 'partitions of the topics fscpush creates' },
  'push.kafka.replication': { schema: positiveInt, default: '1', description: 'replication factor of the topics fscpush creates (3 in production)' },
  'hazelcast.members': { schema: hostPorts, default: '127.0.0.1:5701', description: 'Hazelcast members (host[:port], comma-separated) holding sessions, SMS codes and counters' },
  'hazelcast.cluster.name': { schema: z.string().min(1), default: 'fscpush', description: 'Hazelcast cluster name' },
  'im.embed_db': { schema: z.enum(['0', '1', 'false', 'true']).transform((v) => v === '1' || v === 'true'), default: '0', description: "push-group/push-api run as their own services: 1 = keep this service's data in a local SQLite file (<data dir>/<service>.sqlite, FShareChat's embedded H2) instead of MySQL; one such instance per service in the cluster, enforced at start. The all-in-one server always uses SQLite" },
  'im.jdbc_url': { schema: z.string().regex(/^jdbc:(mysql|mariadb):\/\/[^\s]+$/, 'jdbc:mysql://host:port/database'), default: 'jdbc:mysql://127.0.0.1:3306/fscpush?useUnicode=true&characterEncoding=utf8', description: 'MySQL/MariaDB database (created if missing; migrations run at start)' },
  'im.user': { schema: z.string(), default: 'fscpush', description: 'database user' },
  'im.password': { schema: z.string(), default: '', description: 'database password', secret: true },
  'im.pool.size': { schema: positiveInt, default: '10', description: 'database connections per process' },
  'minio.url': { schema: z.string().regex(/^https?:\/\/[^\s]+$/, 'http(s)://host:port'), default: 'http://127.0.0.1:9000', description: 'MinIO endpoint (media buckets are created at start)' },
  'minio.public.url': { schema: z.union([z.literal(''), z.string().regex(/^https?:\/\/[^\s]+$/)]), default: '', description: 'the MinIO address clients use (behind a proxy); empty = minio.url' },
  'minio.access_key': { schema: z.string(), default: '', description: 'MinIO access key' },
  'minio.secret_key': { schema: z.string(), default: '', description: 'MinIO secret key', secret: true },
} as const satisfies Record<string, KeySpec>;
