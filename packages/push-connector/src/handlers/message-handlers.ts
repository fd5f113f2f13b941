import { FscError, type ConversationDto, type MessageDto, type PullResult } from '@fscpush/core';
import {
  Proto,
  encodeSendMessageAck,
  lenientId,
  messageToWebJson,
  parseWebPull,
  sendAckToWebJson,
  webSendToMessage,
  type JsonValue,
} from '@fscpush/protocol';
import { contentFromProto, messageToProto } from '../dto-mapping.ts';
import { tcpPullResult, webPullResult } from '../encoded-messages.ts';
import { defineHandler, invalid, isObject, type RequestContext } from './handler.ts';

export const sendMessage = defineHandler({
  ordered: true,
  fromTcp: (body) => Proto.Message.decode(body),
  fromWs: (content) => webSendToMessage(content),
  handle: async (ctx, msg) => {
    const req = { uid: ctx.uid, clientId: ctx.clientId, conversation: msg.conversation, content: contentFromProto(msg.content) };
    const result = await ctx.services.messages.send(msg.to.length > 0 ? { ...req, to: msg.to } : req);
    if (result.seq !== undefined) {
      ctx.conn.inbox.sent(BigInt(result.seq));
      ctx.conn.frontier.sent(BigInt(result.seq));
    }
    return result;
  },
  toTcp: (res) => encodeSendMessageAck(res.messageId, res.timestamp),
  toWs: (res) => sendAckToWebJson(res.messageId, res.timestamp),
});

interface PullInput {
  /** TCP: seq > id. WS: resolved against the connection's state in handle(). */
  cursor: bigint;
  afterNotify: boolean;
  transport: 'tcp' | 'ws';
}

export const pullMessages = defineHandler<PullInput, PullResult>({
  fromTcp: (body) => ({ cursor: BigInt(Proto.PullMessageRequest.decode(body).id), afterNotify: false, transport: 'tcp' }),
  fromWs: (content) => {
    const pull = parseWebPull(content);
    return { cursor: BigInt(pull.cursor), afterNotify: pull.pullType === 1, transport: 'ws' };
  },
  handle: async (ctx, input) => {
    const after = afterFor(ctx, input);
    const local = ctx.conn.inbox.take(after);
    let result: PullResult;
    if (local) {
      ctx.reports.add(ctx.uid, local.messages);
      result = { messages: local.messages, current: local.current.toString(), head: local.head.toString() };
    } else {
      result = await ctx.services.messages.pull({ uid: ctx.uid, clientId: ctx.clientId, after: after.toString() });
    }
    const current = BigInt(result.current);
    ctx.conn.frontier.pulled(after, current);
    ctx.conn.inbox.delivered(current);
    return result;
  },
  toTcp: tcpPullResult,
  toWs: (res, ctx) => webPullResult(res, ctx.uid),
  reportedHead: (res) => res.head,
});

/**
 * The Android app pulls "seq > id" from its stored seq on connect and from `head - 1` after MN; the web
 * client pulls "seq > cursor" on connect (pullType 0) and "seq >= head" after MN (pullType 1), which
 * continues from what this device holds, so a repeated MN brings nothing twice.
 */
function afterFor(ctx: RequestContext, input: PullInput): bigint {
  if (input.transport === 'tcp' || !input.afterNotify) return input.cursor;
  return ctx.conn.frontier.pullAfterNotify(input.cursor);
}

interface HistoryInput {
  conversation: ConversationDto;
  beforeId: string;
  count: number;
}

export const loadRemoteMessages = defineHandler<HistoryInput, MessageDto[]>({
  fromTcp: (body) => {
    const req = Proto.LoadRemoteMessages.decode(body);
    return { conversation: req.conversation, beforeId: req.beforeUid, count: req.count };
  },
  fromWs: (content) => {
    if (!isObject(content)) throw invalid('LRM content must be an object');
    const conv = content['conversation'];
    if (!isObject(conv)) throw invalid('LRM conversation missing');
    const type = Number(conv['conversationType'] ?? conv['type']);
    const target = conv['target'];
    if (!Number.isInteger(type) || typeof target !== 'string') throw invalid('LRM conversation invalid');
    return {
      conversation: { type, target, line: Number(conv['line'] ?? 0) || 0 },
      beforeId: lenientId(content['beforeUid']),
      count: Number(content['count'] ?? 20) || 20,
    };
  },
  handle: (ctx, req) => ctx.services.messages.history({ uid: ctx.uid, ...req }),
  toTcp: (messages) => Proto.PullMessageResult.encode({ message: messages.map(messageToProto), current: '0', head: '0' }),
  toWs: (messages, ctx) => ({ count: messages.length, messageResponseList: messages.map((m) => messageToWebJson(messageToProto(m), ctx.uid)) }),
});

export const recallMessage = defineHandler<string, void>({
  ordered: true,
  fromTcp: (body) => Proto.INT64Buf.decode(body).id,
  fromWs: (content: JsonValue | null) => {
    if (!isObject(content)) throw invalid('MR content must be an object');
    const id = lenientId(content['messageUid']);
    if (id === '0') throw new FscError('INVALID_DATA', 'messageUid missing');
    return id;
  },
  handle: async (ctx, messageId) => {
    await ctx.services.messages.recall({ uid: ctx.uid, clientId: ctx.clientId, messageId });
    // the recalling device gets no RMN (the others' connections forget there)
    ctx.conn.inbox.forget();
  },
  toTcp: () => new Uint8Array(0),
  toWs: () => ({ code: 200, message: 'success' }),
});
