import { ReceiptKind, type ConversationDto, type ConversationUnread, type MessageDto, type ReceiptCount } from '@fscpush/core';
import { Proto, lenientId, messageToWebJson, type JsonValue } from '@fscpush/protocol';
import { messageToProto } from '../dto-mapping.ts';
import { defineHandler, invalid, isObject } from './handler.ts';

/**
 * fscpush extension sub-signals (MRN 41, MSR 43, CUC 44). Their requests are JSON on both transports (the
 * TCP body is UTF-8 JSON), so one parser serves both; replies are JSON too, except MSR on TCP, which
 * returns messages as a protobuf PullMessageResult like LRM does.
 */
function jsonBody(body: Buffer): JsonValue {
  try {
    return JSON.parse(body.toString('utf8')) as JsonValue;
  } catch {
    throw invalid('body must be JSON');
  }
}

function jsonReply(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function conversationOf(value: JsonValue | undefined): ConversationDto {
  if (!isObject(value)) throw invalid('conversation missing');
  const type = Number(value['conversationType'] ?? value['type']);
  const target = value['target'];
  if (!Number.isInteger(type) || typeof target !== 'string') throw invalid('conversation needs type and target');
  return { type, target, line: Number(value['line'] ?? 0) || 0 };
}

type ReceiptRequest =
  | { op: 'read'; conversation: ConversationDto; messageId: string }
  | { op: 'query'; conversation: ConversationDto; messageIds: string[] };

function parseReceiptRequest(content: JsonValue | null): ReceiptRequest {
  if (!isObject(content)) throw invalid('MRN content must be an object');
  const conversation = conversationOf(content['conversation']);
  const type = Number(content['type'] ?? ReceiptKind.READ);
  if (type === ReceiptKind.READ) {
    const messageId = lenientId(content['messageUid']);
    if (messageId === '0') throw invalid('messageUid missing');
    return { op: 'read', conversation, messageId };
  }
  if (type === 2) {
    const ids = content['messageUids'];
    if (!Array.isArray(ids)) throw invalid('messageUids missing');
    return { op: 'query', conversation, messageIds: ids.map((id) => lenientId(id)) };
  }
  throw invalid('MRN type is 1 (read up to messageUid) or 2 (query counts)');
}

export const messageReceipt = defineHandler<ReceiptRequest, ReceiptCount[] | null>({
  fromTcp: (body) => parseReceiptRequest(jsonBody(body)),
  fromWs: (content) => parseReceiptRequest(content),
  handle: async (ctx, req) => {
    if (req.op === 'read') {
      await ctx.services.receipts.markRead({ uid: ctx.uid, clientId: ctx.clientId, conversation: req.conversation, messageId: req.messageId });
      return null;
    }
    return ctx.services.receipts.counts({ uid: ctx.uid, conversation: req.conversation, messageIds: req.messageIds });
  },
  toTcp: (res) => jsonReply(receiptReply(res)),
  toWs: (res) => receiptReply(res),
});

function receiptReply(res: ReceiptCount[] | null): object {
  if (res === null) return { code: 200, message: 'success' };
  return res.map((r) => ({ messageUid: r.messageId, delivered: r.delivered, read: r.read }));
}

interface SearchInput {
  keyword: string;
  conversation?: ConversationDto;
  page: number;
}

function parseSearch(content: JsonValue | null): SearchInput {
  if (!isObject(content) || typeof content['keyword'] !== 'string') throw invalid('MSR needs a keyword');
  const input: SearchInput = { keyword: content['keyword'], page: Number(content['page'] ?? 0) || 0 };
  if (content['conversation'] !== undefined && content['conversation'] !== null) input.conversation = conversationOf(content['conversation']);
  return input;
}

export const searchMessages = defineHandler<SearchInput, MessageDto[]>({
  fromTcp: (body) => parseSearch(jsonBody(body)),
  fromWs: (content) => parseSearch(content),
  handle: (ctx, req) => ctx.services.search.search({ uid: ctx.uid, ...req }),
  toTcp: (messages) => Proto.PullMessageResult.encode({ message: messages.map(messageToProto), current: '0', head: '0' }),
  toWs: (messages, ctx) => ({ count: messages.length, messageResponseList: messages.map((m) => messageToWebJson(messageToProto(m), ctx.uid)) }),
});

export const conversationUnread = defineHandler<null, ConversationUnread[]>({
  fromTcp: () => null,
  fromWs: () => null,
  handle: (ctx) => ctx.services.receipts.unread(ctx.uid),
  toTcp: (list) => jsonReply(unreadReply(list)),
  toWs: (list) => unreadReply(list),
});

function unreadReply(list: ConversationUnread[]): object {
  return list.map((c) => ({ conversationType: c.conversation.type, target: c.conversation.target, line: c.conversation.line, unread: c.unread, lastMessageUid: c.lastMessageId }));
}
