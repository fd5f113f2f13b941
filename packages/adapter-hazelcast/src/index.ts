/** The shared grid on a Hazelcast cluster. */
export { createHazelcastGrid, type HazelcastGrid, type HazelcastGridOptions } from './hazelcast-grid.ts';
