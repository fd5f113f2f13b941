import { deliveryTopic, type DeliveryEvent, type Logger } from '@fscpush/core';
import type { BusRecord, MessageBus, Subscription } from '@fscpush/infra';
import type { ConnectionTable } from './connection-table.ts';

const decoder = new TextDecoder();

/** Applies push-group's delivery events for this node to the local connections they name. */
export async function consumeDeliveries(bus: MessageBus, node: string, table: ConnectionTable, log: Logger): Promise<Subscription> {
  const topic = deliveryTopic(node);
  const recalled = new RecentlyRecalled();
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
      apply(event, table, recalled);
    }
  });
}

function apply(event: DeliveryEvent, table: ConnectionTable, recalled: RecentlyRecalled): void {
  switch (event.t) {
    case 'mn': {
      const message = event.m && !recalled.has(event.m.messageId) ? event.m : undefined;
      for (const ref of event.to) table.find(ref.u, ref.c)?.notify(ref.h, message);
      return;
    }
    case 'rmn':
      recalled.add(event.mid);
      for (const ref of event.to) table.find(ref.u, ref.c)?.recalled(event.mid, event.from);
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

const RECALLS_REMEMBERED = 4096;

/**
 * Recalls seen lately. A notify carrying a message's original content can reach the bus after the
 * message's recall (its session lookup took longer); such content is not kept for pulls.
 */
class RecentlyRecalled {
  private readonly mids = new Set<string>();

  add(mid: string): void {
    this.mids.add(mid);
    if (this.mids.size > RECALLS_REMEMBERED) this.mids.delete(this.mids.values().next().value!);
  }

  has(mid: string): boolean {
    return this.mids.has(mid);
  }
}
