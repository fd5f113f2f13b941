import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { TestServer, type LoggedIn } from './harness.ts';

const PRIVATE = 0;

/**
 * The all-in-one server with its bus on the dev stack's Kafka and its grid on its Hazelcast: a config
 * change (fscpush.bus, fscpush.grid), the same service code. A private message goes from a TCP phone to a
 * WebSocket browser through Kafka's delivery topic, and the sessions the notify is routed by live in Hazelcast.
 */
let t: TestServer;
let alice: LoggedIn;
let bob: LoggedIn;

before(async () => {
  t = await TestServer.start({
    overrides: {
      'fscpush.bus': 'kafka',
      'fscpush.grid': 'hazelcast',
      'push.kafka.broker': process.env['FSCPUSH_KAFKA_BROKERS'] ?? '127.0.0.1:9092',
      'hazelcast.members': process.env['FSCPUSH_HZ_MEMBERS'] ?? '127.0.0.1:5701',
      'hazelcast.cluster.name': process.env['FSCPUSH_HZ_CLUSTER_NAME'] ?? 'fscpush',
    },
  });
  const suffix = String(Date.now() % 100_000).padStart(5, '0');
  alice = await t.login(`1380${suffix}01`, `alice-${randomUUID().slice(0, 8)}`);
  bob = await t.login(`1380${suffix}02`, `bob-${randomUUID().slice(0, 8)}`);
});
after(() => t.stop());

test('a message crosses the real Kafka bus: acked, notified, pulled', async () => {
  const phone = await t.connect('tcp', alice);
  const web = await t.connect('ws', bob);
  const sent = await phone.sendText({ type: PRIVATE, target: bob.userId }, 'over kafka');
  assert.equal(sent.ok, true);
  const notify = await web.waitForNotify();
  const pulled = await web.pull(notify.head, 1);
  assert.deepEqual(pulled.messages.map((m) => [m.messageId, m.from, m.content.searchableContent]), [[sent.messageId, alice.userId, 'over kafka']]);
});
