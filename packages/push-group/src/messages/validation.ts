import { ConversationType, FscError, type ConversationDto, type MessageContentDto } from '@fscpush/core';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const SEQ_PATTERN = /^\d{1,19}$/;

export function parseSeq(value: unknown): bigint {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !SEQ_PATTERN.test(text)) throw new FscError('INVALID_DATA', 'invalid sequence or id');
  const seq = BigInt(text);
  if (seq > 0x7fffffffffffffffn) throw new FscError('INVALID_DATA', 'sequence out of range');
  return seq;
}

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function validateConversation(conv: ConversationDto | undefined): ConversationDto {
  if (!conv || typeof conv !== 'object') throw new FscError('INVALID_DATA', 'conversation missing');
  const type = Number(conv.type);
  if (type !== ConversationType.PRIVATE && type !== ConversationType.GROUP) {
    throw new FscError('NOT_IMPLEMENTED', 'only private and group conversations are supported');
  }
  if (!isValidId(conv.target)) throw new FscError('INVALID_DATA', 'invalid conversation target');
  const line = Number(conv.line ?? 0);
  if (!Number.isInteger(line) || line < 0 || line > 1000) throw new FscError('INVALID_DATA', 'invalid line');
  return { type, target: conv.target, line };
}

const STRING_FIELDS = ['searchableContent', 'pushContent', 'content', 'data', 'remoteMediaUrl'] as const;
const INT_FIELDS = ['mediaType', 'persistFlag', 'expireDuration', 'mentionedType'] as const;

/** Keeps only known fields with the right types; the stored JSON is bounded by maxBytes. */
export function validateContent(content: MessageContentDto | undefined, maxBytes: number): MessageContentDto {
  if (!content || typeof content !== 'object') throw new FscError('INVALID_DATA', 'content missing');
  const type = Number(content.type);
  if (!Number.isInteger(type) || type < 0 || type > 100000) throw new FscError('INVALID_DATA', 'invalid content type');
  const clean: MessageContentDto = { type };
  for (const field of STRING_FIELDS) {
    const value = content[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw new FscError('INVALID_DATA', `content.${field} must be a string`);
    clean[field] = value;
  }
  for (const field of INT_FIELDS) {
    const value = content[field];
    if (value === undefined || value === null) continue;
    const n = Number(value);
    if (!Number.isInteger(n)) throw new FscError('INVALID_DATA', `content.${field} must be an integer`);
    if (n !== 0) clean[field] = n;
  }
  if (content.mentionedTarget !== undefined && content.mentionedTarget !== null) {
    if (!Array.isArray(content.mentionedTarget) || !content.mentionedTarget.every(isValidId)) {
      throw new FscError('INVALID_DATA', 'content.mentionedTarget must be user ids');
    }
    if (content.mentionedTarget.length > 0) clean.mentionedTarget = content.mentionedTarget;
  }
  if (Buffer.byteLength(JSON.stringify(clean)) > maxBytes) throw new FscError('INVALID_DATA', 'message content too large');
  return clean;
}
