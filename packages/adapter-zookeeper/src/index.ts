/** Cluster-mode registry: ZooKeeper (Dubbo layout) + network RPC. Only composition roots import this module. */
export { createZkRegistry, ZkRegistry, type ZkRegistryOptions } from './zk-registry.ts';
export { createZkNodeIdAllocator, ZkNodeIdAllocator, type ZkNodeIdAllocatorOptions } from './zk-node-id-allocator.ts';
export { ZkSession, type ZkSessionOptions } from './zk/zk-session.ts';
export { claimServiceStore, type StoreClaim, type StoreClaimOptions } from './zk-store-claim.ts';
