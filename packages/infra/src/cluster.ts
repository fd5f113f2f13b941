/** Cluster-mode implementations of every port (the real engines); only composition roots import this module. */
export { createZkRegistry, createZkNodeIdAllocator } from './rpc/zookeeper.ts';
export { createKafkaBus } from './bus/kafka-bus.ts';
export { createHazelcastGrid } from './grid/hazelcast-grid.ts';
export { openMysqlStore } from './store/mysql-store.ts';
export { MinioStorage } from './media/minio-storage.ts';
