import { decodeDeliveryEvent, deliveryTopic, type DeliveryEvent } from '@fscpush/core';
import type { BusRecord, MessageBus, Subscription } from '@fscpush/ports';
import type { ConnectionTable } from './connection-table.ts';
import type { RejectedEvents } from './rejected-events.ts';

/**
 * Applies push-group's delivery events for this node to the local connections they name. An event this
 * build cannot read (another version, an unknown kind, broken) is skipped and tallied, never applied half.
 */
export async function consumeDeliveries(bus: MessageBus, node: string, table: ConnectionTable, rejected: RejectedEvents): Promise<Subscription> {
  const topic = deliveryTopic(node);
  const recalled = new RecentlyRecalled();
  await bus.ensureTopics([topic]);
  return bus.subscribe(topic, `connector-${node.split('@')[0]}`, async (records: BusRecord[]) => {
    for (const record of records) {
      const decoded = decodeDeliveryEvent(record.value);
      if (decoded.ok) apply(decoded.event, table, recalled);
      else rejected.add(topic, decoded);
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
      for (const ref of event.to) table.find(ref.u, ref.c)?.push({ kind: 'MRP', receipt: event.k, reader: event.r, messageId: event.mid });
      return;
    case 'tx':
      for (const ref of event.to) table.find(ref.u, ref.c)?.push({ kind: 'MP', message: event.msg });
      return;
    case 'frn':
      for (const ref of event.to) table.find(ref.u, ref.c)?.push({ kind: 'FRN', version: event.v });
      return;
    case 'fn':
      for (const ref of event.to) table.find(ref.u, ref.c)?.push({ kind: 'FN', head: event.v });
      return;
    case 'kick': {
      const conn = table.find(event.u, event.c);
      if (conn && conn.connToken === event.k) conn.close('the same client id connected again');
      return;
    }
    default:
      return unreachable(event);
  }
}

/** The codec admits only the kinds above: a new kind must be handled here before it is decoded. */
function unreachable(event: never): never {
  throw new Error(`delivery event kind ${(event as { t: string }).t} has no handler`);
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
