import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FscError } from '@fscpush/core';
import { isValidGroupName, isValidTopicName, resolveKafkaBusOptions } from '../src/kafka-bus-options.ts';
import { toBusError } from '../src/kafka-errors.ts';

// The Kafka bus's pure parts (fast tier); the bus itself is tested against Kafka in kafka-bus.cluster.test.ts.

test('Kafka bus options: bounded defaults, frozen', () => {
  const options = resolveKafkaBusOptions({ brokers: ['127.0.0.1:9092'], clientId: 'push-group-1' });
  assert.equal(options.partitions, 3);
  assert.equal(options.retentionMs, 3_600_000);
  assert.equal(options.publishTimeoutMs, 20_000);
  assert.equal(options.joinTimeoutMs, 30_000);
  assert.ok(options.heartbeatIntervalMs < options.sessionTimeoutMs);
  assert.ok(Object.isFrozen(options));
  assert.equal(resolveKafkaBusOptions({ brokers: ['h:1'], clientId: 'c', partitions: undefined }).partitions, 3, 'undefined means default');
});

test('Kafka bus options: every problem is reported at once as CONFIG_INVALID', () => {
  assert.throws(
    () => resolveKafkaBusOptions({ brokers: ['localhost'], clientId: 'bad id', partitions: 0, retries: -1, heartbeatIntervalMs: 20_000, publishTimeoutMs: 1.5 }),
    (err: unknown) => {
      assert.ok(err instanceof FscError && err.code === 'CONFIG_INVALID');
      const problems = err.details?.['problems'] as string[];
      for (const word of ['brokers', 'clientId', 'partitions', 'retries', 'heartbeatIntervalMs', 'publishTimeoutMs']) {
        assert.ok(problems.some((p) => p.startsWith(word)), `${word} in ${problems.join('; ')}`);
      }
      return true;
    },
  );
  assert.throws(() => resolveKafkaBusOptions({ brokers: [], clientId: 'c' }), (err: unknown) => err instanceof FscError && err.code === 'CONFIG_INVALID');
});

test('topic names follow Kafka; group names only refuse control characters', () => {
  assert.ok(isValidTopicName('fscpush.deliver.connector-3'));
  for (const bad of ['', '.', '..', 'a b', 'a/b', 'connector-3@ab12cd34', 'x'.repeat(250)]) assert.ok(!isValidTopicName(bad), bad);
  assert.ok(isValidGroupName('connector-connector-3@ab12cd34'));
  for (const bad of ['', 'a\nb', 'x'.repeat(256)]) assert.ok(!isValidGroupName(bad), JSON.stringify(bad));
});

test('kafkajs errors become BUS_UNAVAILABLE (retriable) or INVALID_DATA when the broker refuses the records', () => {
  const tooLarge = Object.assign(new Error('Message too large'), { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', retriable: false });
  const wrapped = Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNonRetriableError', cause: tooLarge });
  const invalid = toBusError(wrapped, 'publishing');
  assert.equal(invalid.code, 'INVALID_DATA');
  assert.equal(invalid.details?.['kafkaError'], 'MESSAGE_TOO_LARGE');
  assert.equal(invalid.cause, wrapped);
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true });
  const down = toBusError(Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: refused }), 'publishing');
  assert.equal(down.code, 'BUS_UNAVAILABLE');
  assert.ok(down.retriable);
  assert.match(down.message, /ECONNREFUSED/);
  const mine = new FscError('SHUTTING_DOWN');
  assert.equal(toBusError(mine, 'x'), mine);
});
