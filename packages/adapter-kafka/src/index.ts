/** The bus on Kafka (kafkajs). */
export { createKafkaBus } from './kafka-bus.ts';
