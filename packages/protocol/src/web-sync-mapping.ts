import { badContent, isJsonObject, lenientId, readOptionalInt32 } from './json-coerce.ts';
import { messageToWebJson } from './json-mapping.ts';
import type { WebMessage } from './json-mapping.ts';
import type { ConnectAckPayload, Int64Like, NotifyMessage, NotifyRecallMessage, PullMessageRequest, PullMessageResult } from './proto/types.ts';

/** Sync-path conversions between the web client's JSON and the protobuf shapes (reference B3). */

export interface WebPull {
  /** The client's last seq ("0" when it sends null, junk or the string "undefined"). */
  cursor: string;
  type: number;
  /** 0 = after login/reconnect, 1 = after an MN notify. */
  pullType: number;
  sendMessageCount: number;
}

export function parseWebPull(json: unknown): WebPull {
  if (!isJsonObject(json)) throw badContent('MP content must be an object');
  const count = Number(typeof json.sendMessageCount === 'string' ? json.sendMessageCount.trim() : json.sendMessageCount);
  return {
    cursor: lenientId(json.messageId),
    type: readOptionalInt32(json.type, 'type') ?? 0,
    pullType: readOptionalInt32(json.pullType, 'pullType') ?? 0,
    sendMessageCount: Number.isSafeInteger(count) && count > 0 ? count : 0,
  };
}

/**
 * MP as the reference serves it, expressed as "seq > id": pullType 1 returns seq >= cursor,
 * pullType 0 returns seq > cursor + sendMessageCount (the client already holds its own sends).
 */
export function webPullToRequest(json: unknown): PullMessageRequest {
  const pull = parseWebPull(json);
  const cursor = BigInt(pull.cursor);
  const id = pull.pullType === 1 ? (cursor > 0n ? cursor - 1n : 0n) : cursor + BigInt(pull.sendMessageCount);
  return { id: id.toString(), type: pull.type };
}

export interface WebPullResult {
  current: string;
  head: string;
  messageCount: number;
  messageResponseList: WebMessage[];
}

/** Messages stay in the result's (ascending) order; `selfUid` is the pulling user. */
export function pullResultToWebJson(result: PullMessageResult, selfUid: string): WebPullResult {
  return {
    current: result.current,
    head: result.head,
    messageCount: result.message.length,
    messageResponseList: result.message.map((msg) => messageToWebJson(msg, selfUid)),
  };
}

export function notifyToWebJson(notify: NotifyMessage): { messageHead: string; type: number } {
  return { messageHead: notify.head, type: notify.type };
}

export function recallNotifyToWebJson(notify: NotifyRecallMessage): { fromUser: string; messageUid: string } {
  return { fromUser: notify.fromUser, messageUid: notify.id };
}

export function connectAckToWebJson(ack: ConnectAckPayload): { messageHead: string; friendHead: number | string } {
  return { messageHead: ack.msgHead ?? '0', friendHead: smallNumber(ack.friendHead ?? '0') };
}

/** MS PUB_ACK content: the id as a string, the timestamp as a ms number. */
export function sendAckToWebJson(messageId: Int64Like, timestamp: Int64Like): { messageId: string; timestamp: number } {
  return { messageId: String(messageId), timestamp: Number(timestamp) };
}

/** FN push content (the client then pulls the friend list). */
export function friendNotifyToWebJson(head: Int64Like): { head: string } {
  return { head: String(head) };
}

/** FRN push content (the client stores the version, then pulls friend requests). */
export function friendRequestNotifyToWebJson(version: Int64Like): { version: string } {
  return { version: String(version) };
}

function smallNumber(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
