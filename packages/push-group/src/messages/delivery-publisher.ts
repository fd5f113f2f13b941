import { deliveryTopic, encodeDeliveryEvent, type DeliveryEvent, type Logger, type MessageDto, type OnlineSession, type SessionRef } from '@fscpush/core';
import type { MessageBus } from '@fscpush/ports';
import type { OnlineSessions } from '../sessions/online-sessions.ts';

/**
 * Turns "these users have something new" into one bus record per connector node that holds any of their
 * sessions. Notifications are best effort: a lost one is healed by the client's next pull.
 */
export class DeliveryPublisher {
  private readonly bus: MessageBus;
  private readonly sessions: OnlineSessions;
  private readonly log: Logger;

  constructor(bus: MessageBus, sessions: OnlineSessions, log: Logger) {
    this.bus = bus;
    this.sessions = sessions;
    this.log = log;
  }

  /**
   * MN to every session of every receiver except the sending device. `message`: each seq in `seqs` is
   * this message's seq in that user's inbox, and the notify carries it (see DeliveryEvent 'mn').
   */
  async notifyNew(seqs: Map<string, string>, except: SessionRef, message?: MessageDto): Promise<void> {
    const byNode = new Map<string, (SessionRef & { h: string })[]>();
    for (const [uid, sessions] of await this.sessions.ofMany(seqs.keys())) {
      const head = seqs.get(uid)!;
      forEachSession(uid, sessions, except, (node, ref) => push(byNode, node, { ...ref, h: head }));
    }
    await this.publish(byNode, (to) => (message ? { t: 'mn', to, m: message } : { t: 'mn', to }));
  }

  async notifyRecall(receivers: Iterable<string>, mid: string, from: string, except: SessionRef): Promise<void> {
    const byNode = await this.sessionsByNode(receivers, except);
    await this.publish(byNode, (to) => ({ t: 'rmn', to, mid, from }));
  }

  async pushTransparent(receivers: Iterable<string>, msg: MessageDto, except: SessionRef): Promise<void> {
    const byNode = await this.sessionsByNode(receivers, except);
    await this.publish(byNode, (to) => ({ t: 'tx', to, msg }));
  }

  /** A receipt to every device of the message's sender. */
  async pushReceipt(sender: string, receipt: { kind: number; reader: string; messageId: string }): Promise<void> {
    const byNode = await this.sessionsByNode([sender], { u: '', c: '' });
    await this.publish(byNode, (to) => ({ t: 'mrp', to, k: receipt.kind, r: receipt.reader, mid: receipt.messageId }));
  }

  /** FRN to every device of the users: their friend requests changed, up to `version`. */
  async notifyFriendRequests(uids: Iterable<string>, version: number): Promise<void> {
    const byNode = await this.sessionsByNode(uids, { u: '', c: '' });
    await this.publish(byNode, (to) => ({ t: 'frn', to, v: String(version) }));
  }

  /** FN to every device of the users: their friend lists changed, new head `head`. */
  async notifyFriends(uids: Iterable<string>, head: number): Promise<void> {
    const byNode = await this.sessionsByNode(uids, { u: '', c: '' });
    await this.publish(byNode, (to) => ({ t: 'fn', to, v: String(head) }));
  }

  async kick(uid: string, clientId: string, session: OnlineSession): Promise<void> {
    await this.publishTo(session.node, { t: 'kick', u: uid, c: clientId, k: session.connToken });
  }

  private async sessionsByNode(receivers: Iterable<string>, except: SessionRef): Promise<Map<string, SessionRef[]>> {
    const byNode = new Map<string, SessionRef[]>();
    for (const [uid, sessions] of await this.sessions.ofMany(receivers)) {
      forEachSession(uid, sessions, except, (node, ref) => push(byNode, node, ref));
    }
    return byNode;
  }

  private async publish<T>(byNode: Map<string, T[]>, build: (items: T[]) => DeliveryEvent): Promise<void> {
    await Promise.all([...byNode].map(([node, items]) => this.publishTo(node, build(items))));
  }

  private async publishTo(node: string, event: DeliveryEvent): Promise<void> {
    try {
      await this.bus.publish(deliveryTopic(node), [{ key: node, value: encodeDeliveryEvent(event) }]);
    } catch (err) {
      this.log.warn({ err, node }, 'delivery event not published; clients catch up on their next pull');
    }
  }
}

function forEachSession(uid: string, sessions: Record<string, OnlineSession>, except: SessionRef, fn: (node: string, ref: SessionRef) => void): void {
  for (const [clientId, session] of Object.entries(sessions)) {
    if (uid === except.u && clientId === except.c) continue;
    fn(session.node, { u: uid, c: clientId });
  }
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
