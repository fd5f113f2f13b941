import { Client, type IMap } from 'hazelcast-client';
import { createLogger, type Logger, type LoggerOptions } from '@fscpush/core';

/** The dev stack's Hazelcast (`eval "$(scripts/devstack env)"`); a cluster test fails without it. */
export function hazelcastEnv(): { clusterName: string; members: string[] } {
  const clusterName = process.env['FSCPUSH_HZ_CLUSTER_NAME'];
  const members = process.env['FSCPUSH_HZ_MEMBERS'];
  if (!clusterName || !members) {
    throw new Error('FSCPUSH_HZ_CLUSTER_NAME/FSCPUSH_HZ_MEMBERS are not set: run `scripts/devstack up hazelcast` and `eval "$(scripts/devstack env)"` (or npm run test:cluster)');
  }
  return { clusterName, members: members.split(',').map((m) => m.trim()) };
}

/** Silent unless FSCPUSH_TEST_LOG_LEVEL is set (e.g. warn, info). */
export function testLogger(): Logger | undefined {
  const level = process.env['FSCPUSH_TEST_LOG_LEVEL'];
  return level ? createLogger('test', { level: level as LoggerOptions['level'] }) : undefined;
}

/** A plain hazelcast-client to look at the stored entries the way another tool would. */
export async function rawHazelcast(clusterName: string, members: string[]): Promise<{ map(name: string): Promise<IMap<string, string>>; close(): Promise<void> }> {
  const client = await Client.newHazelcastClient({
    clusterName,
    network: { clusterMembers: members },
    connectionStrategy: { connectionRetry: { clusterConnectTimeoutMillis: 10_000 } },
    properties: { 'hazelcast.logging.level': 'OFF' },
  });
  return { map: (name) => client.getMap<string, string>(name), close: () => client.shutdown() };
}
