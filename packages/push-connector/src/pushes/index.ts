import { friendNotify, friendRequestNotify, type FriendNotify, type FriendRequestNotify } from './friend-notifies.ts';
import { messageNotify, type MessageNotify } from './message-notify.ts';
import { receiptNotify, type ReceiptNotify } from './receipt-notify.ts';
import { recallNotify, type RecallNotify } from './recall-notify.ts';
import type { ServerPush, TcpPush, WsPush } from './server-push.ts';
import { transparentMessage, type TransparentMessage } from './transparent-message.ts';

export type { ServerPush, TcpPush, WsPush };

/** Everything the connector pushes to a device unasked. A new kind: its module, and its line here. */
export type Push = MessageNotify | RecallNotify | TransparentMessage | ReceiptNotify | FriendRequestNotify | FriendNotify;

const PUSHES: { [K in Push['kind']]: ServerPush<Extract<Push, { kind: K }>> } = {
  MN: messageNotify,
  RMN: recallNotify,
  MP: transparentMessage,
  MRP: receiptNotify,
  FRN: friendRequestNotify,
  FN: friendNotify,
};

export function pushToTcp(push: Push): TcpPush {
  return (PUSHES[push.kind] as ServerPush<Push>).toTcp(push);
}

export function pushToWs(push: Push, uid: string): WsPush {
  return (PUSHES[push.kind] as ServerPush<Push>).toWs(push, uid);
}
