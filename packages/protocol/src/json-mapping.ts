import {
  badContent, isJsonObject, readInt32, readOptionalInt32, readOptionalString, readStringArray,
} from './json-coerce.ts';
import type { Message, MessageContent } from './proto/types.ts';

/** A message item as the web client's `ProtoMessage.toProtoMessage` reads it. */
export interface WebMessage {
  from: string;
  /** For a private chat, the peer of the receiving user. */
  target: string;
  conversationType: number;
  line: number;
  messageId: string;
  timestamp: number;
  content: WebMessageContent;
}

export interface WebMessageContent {
  type: number;
  searchableContent: string;
  pushContent: string;
  content: string;
  /** Base64 of MessageContent.data ("" when absent). */
  binaryContent: string;
  mediaType: number;
  remoteMediaUrl: string;
  mentionedType: number;
  mentionedTargets: string[];
}

const PRIVATE_CONVERSATION = 0;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** `selfUid` is the receiving user: a private message addressed to them shows the sender as target. */
/** A private message as its receiver sees it: the web form names the sender as the conversation's target. */
export function isIncomingPrivate(msg: { conversation: { type: number; target: string } }, selfUid: string | undefined): boolean {
  return msg.conversation.type === PRIVATE_CONVERSATION && selfUid !== undefined && selfUid === msg.conversation.target;
}

export function messageToWebJson(msg: Message, selfUid?: string): WebMessage {
  const { conversation, content } = msg;
  const incomingPrivate = isIncomingPrivate(msg, selfUid);
  return {
    from: msg.fromUser,
    target: incomingPrivate ? msg.fromUser : conversation.target,
    conversationType: conversation.type,
    line: conversation.line,
    messageId: msg.messageId ?? '0',
    timestamp: Number(msg.serverTimestamp ?? 0),
    content: contentToWebJson(content),
  };
}

export function contentToWebJson(content: MessageContent): WebMessageContent {
  return {
    type: content.type,
    searchableContent: content.searchableContent ?? '',
    pushContent: content.pushContent ?? '',
    content: content.content ?? '',
    binaryContent: content.data && content.data.byteLength > 0 ? toBuffer(content.data).toString('base64') : '',
    mediaType: content.mediaType ?? 0,
    remoteMediaUrl: content.remoteMediaUrl ?? '',
    mentionedType: content.mentionedType ?? 0,
    mentionedTargets: content.mentionedTarget ?? [],
  };
}

/**
 * The MS request content → proto Message. The client's own `from`, `messageId` (Date.now()), `direction`,
 * `status` and `timestamp` are ignored; `fromUser` should be the authenticated uid. Bad shapes → WS_BAD_CONTENT.
 */
export function webSendToMessage(json: unknown, fromUser?: string): Message {
  if (!isJsonObject(json)) throw badContent('MS content must be an object');
  const target = json.target;
  if (typeof target !== 'string' || target === '') throw badContent('target must be a non-empty string');
  const conversationType = readInt32(json.conversationType, 'conversationType');
  if (conversationType < 0) throw badContent('conversationType must not be negative');
  const from = fromUser ?? (typeof json.from === 'string' ? json.from : '');
  return {
    conversation: { type: conversationType, target, line: readOptionalInt32(json.line, 'line') ?? 0 },
    fromUser: from,
    content: webContentToProto(json.content),
    to: readRecipients(json.tos ?? json.to),
  };
}

export function webContentToProto(json: unknown): MessageContent {
  if (!isJsonObject(json)) throw badContent('content must be an object');
  const out: MessageContent = { type: readInt32(json.type, 'content.type'), mentionedTarget: [] };
  const searchableContent = readOptionalString(json.searchableContent, 'content.searchableContent');
  const pushContent = readOptionalString(json.pushContent, 'content.pushContent');
  const text = readOptionalString(json.content, 'content.content');
  const remoteMediaUrl = readOptionalString(json.remoteMediaUrl, 'content.remoteMediaUrl');
  const mediaType = readOptionalInt32(json.mediaType, 'content.mediaType');
  const mentionedType = readOptionalInt32(json.mentionedType, 'content.mentionedType');
  const data = readBase64(json.binaryContent);
  if (searchableContent !== undefined) out.searchableContent = searchableContent;
  if (pushContent !== undefined) out.pushContent = pushContent;
  if (text !== undefined) out.content = text;
  if (data !== undefined) out.data = data;
  if (mediaType !== undefined) out.mediaType = mediaType;
  if (remoteMediaUrl !== undefined) out.remoteMediaUrl = remoteMediaUrl;
  if (mentionedType !== undefined) out.mentionedType = mentionedType;
  out.mentionedTarget = readStringArray(json.mentionedTargets, 'content.mentionedTargets');
  return out;
}

/** cs sends `to: ""`, fs sends `tos`; both may be a uid list or a (comma-separated) string. */
function readRecipients(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((uid) => uid.trim()).filter((uid) => uid !== '');
  return readStringArray(value, 'tos');
}

function readBase64(value: unknown): Buffer | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badContent('content.binaryContent must be a base64 string');
  const compact = value.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw badContent('content.binaryContent is not base64');
  return Buffer.from(compact, 'base64');
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
