import type { MessageDto, PullResult } from '@fscpush/core';
import { Proto, assemblePullResult, assembleWebPullResult, isIncomingPrivate, webMessageText } from '@fscpush/protocol';
import { messageToProto } from './dto-mapping.ts';

interface Encodings {
  tcp?: Uint8Array;
  /** the web form for everyone but a private message's receiver */
  web?: string;
  webIncoming?: string;
}

/**
 * Each message's encodings, made once and shared by the pull answers of all its receivers: a notify's
 * message is one object in every connection's NotifiedInbox, so a group message is encoded once per
 * connector instead of once per online member.
 */
const cache = new WeakMap<MessageDto, Encodings>();

function encodingsOf(message: MessageDto): Encodings {
  let entry = cache.get(message);
  if (!entry) {
    entry = {};
    cache.set(message, entry);
  }
  return entry;
}

export function tcpPullResult(res: PullResult): Buffer {
  const messages = res.messages.map((m) => {
    const e = encodingsOf(m);
    return (e.tcp ??= Proto.Message.encode(messageToProto(m)));
  });
  return assemblePullResult(messages, res.current, res.head);
}

export function webPullResult(res: PullResult, selfUid: string): string {
  const texts = res.messages.map((m) => {
    const e = encodingsOf(m);
    return isIncomingPrivate(m, selfUid)
      ? (e.webIncoming ??= webMessageText(messageToProto(m), selfUid))
      : (e.web ??= webMessageText(messageToProto(m), selfUid));
  });
  return assembleWebPullResult(texts, res.current, res.head);
}
