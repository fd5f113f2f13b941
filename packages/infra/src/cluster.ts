/** Cluster-mode implementations of every port (the real engines); only composition roots import this module. */
export { createZkRegistry, createZkNodeIdAllocator } from './rpc/zookeeper.ts';
export { createKafkaBus } from './bus/kafka-bus.ts';
export { createHazelcastGrid, type HazelcastGrid, type HazelcastGridOptions } from './grid/hazelcast-grid.ts';
export { openMysqlStore, parseJdbcUrl, parseMysqlUrl, type MysqlStoreOptions, type MysqlLocation } from './store/mysql-store.ts';
export { MinioStorage } from './media/minio-storage.ts';
export { claimServiceStore, type StoreClaim, type StoreClaimOptions } from './store/zk-store-claim.ts';
