import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FscError, SERVICE_NAMES } from '@fscpush/core';
import { InProcessRegistry } from '@fscpush/adapter-memory';
import { ServiceMetrics } from '../src/index.ts';
import { instrumentRegistry } from '../src/metrics/instrument-registry.ts';

class Messages {
  async send(req: { fail?: boolean }) {
    if (req.fail === true) throw new FscError('NOT_IN_GROUP');
    return { messageId: '1', timestamp: 1 };
  }

  async pull() {
    return { messages: [{}, {}, {}], current: '3', head: '3' };
  }
}

test('calls are timed on both sides and the message counters follow MessageService', async () => {
  const metrics = new ServiceMetrics('test');
  const registry = instrumentRegistry(new InProcessRegistry({ nodeId: 'n1', copyValues: true }), metrics);
  await registry.provide(SERVICE_NAMES.messages, new Messages());
  const messages = registry.consume<Messages>(SERVICE_NAMES.messages);
  assert.deepEqual(await messages.send({}), { messageId: '1', timestamp: 1 });
  await assert.rejects(messages.send({ fail: true }), { code: 'NOT_IN_GROUP' });
  await messages.pull();
  assert.deepEqual(registry.providers(SERVICE_NAMES.messages), ['n1']);

  const text = await metrics.text();
  const line = (name: string) => text.split('\n').find((l) => l.startsWith(name))?.split(' ').at(-1);
  assert.equal(line('fscpush_messages_in_total{outcome="ok",service="test"}'), '1');
  assert.equal(line('fscpush_messages_in_total{outcome="NOT_IN_GROUP",service="test"}'), '1');
  assert.equal(line('fscpush_acks_total{outcome="ok",service="test"}'), '1');
  assert.equal(line('fscpush_pulls_total{outcome="ok",service="test"}'), '1');
  assert.equal(line('fscpush_messages_out_total{service="test"}'), '3');
  assert.equal(line(`fscpush_rpc_server_duration_seconds_count{service="${SERVICE_NAMES.messages}",method="send",outcome="ok"}`), '1');
  assert.equal(line(`fscpush_rpc_client_duration_seconds_count{service="${SERVICE_NAMES.messages}",method="pull",outcome="ok"}`), '1');
});
