import type { ConfigValues, Logger } from '@fscpush/core';
import { createHazelcastGrid, type HazelcastGrid } from '@fscpush/adapter-hazelcast';
import { createKafkaBus } from '@fscpush/adapter-kafka';
import type { MessageBus } from '@fscpush/ports';
import type { ServiceOps } from '@fscpush/ops';
import { hostPortList } from '../cluster/endpoints.ts';

/** The bus on Kafka from push.kafka.*, probed and its lag reported by the process's ops. */
export function openKafkaBus(config: ConfigValues, node: string, log: Logger, ops: ServiceOps): MessageBus {
  const brokers = hostPortList(config['push.kafka.broker'], 9092);
  return ops.bus(
    createKafkaBus({ brokers, clientId: node.replace(/[^A-Za-z0-9._-]/g, '-'), partitions: config['push.kafka.partitions'], replicationFactor: config['push.kafka.replication'], log }),
    { brokers, clientId: node },
  );
}

/** The grid on Hazelcast from hazelcast.*. */
export async function openHazelcastGrid(config: ConfigValues, log: Logger, ops: ServiceOps): Promise<HazelcastGrid> {
  return ops.grid(await createHazelcastGrid({ clusterName: config['hazelcast.cluster.name'], members: hostPortList(config['hazelcast.members'], 5701), log }));
}
