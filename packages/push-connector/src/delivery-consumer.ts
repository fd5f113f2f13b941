import { deliveryTopic, type DeliveryEvent, type Logger } from '@fscpush/core';
import type { BusRecord, MessageBus, Subscription } from '@fscpush/infra';
import type { ConnectionTable } from './connection-table.ts';

const decoder = new TextDecoder();

/** Applies push-group's delivery events for this node to the local connections they name. */
export async function consumeDeliveries(bus: MessageBus, node: string, table: ConnectionTable, log: Logger): Promise<Subscription> {
  const topic = deliveryTopic(node);
  await bus.ensureTopics([topic]);
  return bus.subscribe(topic, `connector-${node.split('@')[0]}`, async (records: BusRecord[]) => {
    for (const record of records) {
      let event: DeliveryEvent;
      try {
        event = JSON.parse(decoder.decode(record.value)) as DeliveryEvent;
      } catch (err) {
        log.error({ err }, 'undecodable delivery event skipped');
        continue;
      }
      apply(event, table);
    }
  });
}

function apply(event: DeliveryEvent, table: ConnectionTable): void {
  switch (event.t) {
    case 'mn':
      for (const ref of event.to) table.find(ref.u, ref.c)?.notify(ref.h);
      return;
    case 'rmn':
      for (const ref of event.to) table.find(ref.u, ref.c)?.writeRecallNotify(event.mid, event.from);
      return;
    case 'mrp':
      for (const ref of event.to) table.find(ref.u, ref.c)?.writeReceipt(event.k, event.r, event.mid);
      return;
    case 'tx':
      for (const ref of event.to) table.find(ref.u, ref.c)?.writeTransparent(event.msg);
      return;
    case 'frn':
      for (const ref of event.to) table.find(ref.u, ref.c)?.writeFriendRequestNotify(event.v);
      return;
    case 'fn':
      for (const ref of event.to) table.find(ref.u, ref.c)?.writeFriendNotify(event.v);
      return;
    case 'kick': {
      const conn = table.find(event.u, event.c);
      if (conn && conn.connToken === event.k) conn.close('the same client id connected again');
      return;
    }
  }
}
