/** The multi-process cluster of the cluster tests lives in the testkit, shared with the load generator. */
export { CLUSTER_SUPER_CODE, ProcessCluster as TestCluster, ServiceProcess } from '@fscpush/testkit';
