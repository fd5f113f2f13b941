import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, deliveryTopic, encodeDeliveryEvent, type DeliveryEvent } from '@fscpush/core';
import { InProcessBus } from '@fscpush/adapter-memory';
import { ConnectionTable } from '../src/connection-table.ts';
import { consumeDeliveries } from '../src/delivery-consumer.ts';
import { RejectedEvents } from '../src/rejected-events.ts';
import { RecordingConnection, testHost } from './recording-connection.ts';

function logLines(): { log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('test', { level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { log, lines };
}

test('a connector applies events of the build before versions and of this build alike, and tallies what it cannot read', async () => {
  const { log, lines } = logLines();
  const bus = new InProcessBus();
  const table = new ConnectionTable();
  const host = testHost({ sessions: { disconnect: async () => undefined } }, { node: 'c-1', log });
  const bob = RecordingConnection.open(host, 'u-bob', 'bob-phone');
  table.attach(bob);
  const rejected = new RejectedEvents(log);
  const subscription = await consumeDeliveries(bus, 'c-1', table, rejected);

  const oldEncoder = (event: DeliveryEvent) => new TextEncoder().encode(JSON.stringify(event)); // as fscpush wrote events before they had versions
  const to = [{ u: 'u-bob', c: 'bob-phone' }];
  const records = [
    oldEncoder({ t: 'frn', to, v: '5' }),
    encodeDeliveryEvent({ t: 'fn', to, v: '6' }),
    new TextEncoder().encode(JSON.stringify({ _v: 2, t: 'fn', to, v: '7' })),
    new TextEncoder().encode(JSON.stringify({ _v: 1, t: 'presence', to })),
    new TextEncoder().encode(JSON.stringify({ _v: 1, t: 'presence', to })),
    new TextEncoder().encode('{"t":"mrp",'),
    oldEncoder({ t: 'mrp', to, k: 1, r: 'u-alice', mid: '42' }),
    encodeDeliveryEvent({ t: 'kick', u: 'u-bob', c: 'bob-phone', k: bob.connToken }),
  ];
  await bus.publish(deliveryTopic('c-1'), records.map((value) => ({ key: 'c-1', value })));
  for (let i = 0; i < 100 && !bob.written.some((w) => w.startsWith('CLOSE')); i++) await new Promise((resolve) => setTimeout(resolve, 5));

  assert.deepEqual(bob.written, ['FRN 5', 'FN 6', 'MRP 1 u-alice 42', 'CLOSE the same client id connected again']);
  assert.deepEqual(
    rejected.snapshot().sort((a, b) => a.reason.localeCompare(b.reason)),
    [
      { reason: 'malformed', kind: '', count: 1 },
      { reason: 'unknown-kind', kind: 'presence', count: 2 },
      { reason: 'unknown-version', kind: 'fn', count: 1 },
    ],
  );
  const skipped = lines.filter((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('delivery event skipped'));
  assert.deepEqual(skipped.map((l) => [l['reason'], l['kind']]), [['unknown-version', 'fn'], ['unknown-kind', 'presence'], ['malformed', '']], 'one line per reason and kind');
  assert.match(skipped[0]!['msg'] as string, /upgrade connectors first/);
  await subscription.close();
  await bus.close();
});
