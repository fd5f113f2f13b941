import type { MessageDto } from './messages.ts';

/** Events push-group sends to the connector holding a session, on the bus topic deliveryTopic(node). */
export interface SessionRef {
  u: string;
  c: string;
}

export type DeliveryEvent =
  /**
   * new messages up to seq `h` in user u's inbox. With `m`, each `h` is the seq of message m in that
   * user's inbox (the notify of one new entry): a connector may answer the pull that follows from it.
   */
  | { t: 'mn'; to: (SessionRef & { h: string })[]; m?: MessageDto }
  | { t: 'rmn'; to: SessionRef[]; mid: string; from: string }
  /** receipt for the sender: reader r has received (k 0) or read (k 1) up to message mid */
  | { t: 'mrp'; to: SessionRef[]; k: number; r: string; mid: string }
  /** transparent message, pushed to online sessions only */
  | { t: 'tx'; to: SessionRef[]; msg: MessageDto }
  /** FRN: the user's friend requests changed; v = the newest request version */
  | { t: 'frn'; to: SessionRef[]; v: string }
  /** FN: the user's friend list changed; v = the new friend list head */
  | { t: 'fn'; to: SessionRef[]; v: string }
  /** close the connection registered under connToken k (a newer connection took its client id) */
  | { t: 'kick'; u: string; c: string; k: string };

/**
 * A connector's node name is `<stable id>@<boot id>`: sessions belong to one run of the connector, while
 * its delivery topic follows the stable id so a restarted connector reuses it.
 */
export function deliveryTopic(node: string): string {
  const at = node.indexOf('@');
  return `fscpush.deliver.${at < 0 ? node : node.slice(0, at)}`;
}

export const SERVICE_NAMES = {
  sessions: 'com.comsince.github.SessionService',
  messages: 'com.comsince.github.MessageService',
  groups: 'fscpush.GroupService',
  users: 'fscpush.UserService',
  /** every running connector provides it: its registration is the connector's liveness */
  connector: 'fscpush.Connector',
  receipts: 'fscpush.ReceiptService',
  search: 'fscpush.SearchService',
  friends: 'fscpush.FriendService',
} as const;
