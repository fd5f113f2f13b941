import type { MessageContentDto, MessageDto } from '@fscpush/core';
import type { Message, MessageContent } from '@fscpush/protocol';

/** Between the protobuf shapes the transports decode and the JSON-safe DTOs the services take. */
export function contentFromProto(content: MessageContent): MessageContentDto {
  const dto: MessageContentDto = { type: content.type };
  if (content.searchableContent !== undefined) dto.searchableContent = content.searchableContent;
  if (content.pushContent !== undefined) dto.pushContent = content.pushContent;
  if (content.content !== undefined) dto.content = content.content;
  if (content.data !== undefined && content.data.byteLength > 0) dto.data = Buffer.from(content.data.buffer, content.data.byteOffset, content.data.byteLength).toString('base64');
  if (content.mediaType !== undefined) dto.mediaType = content.mediaType;
  if (content.remoteMediaUrl !== undefined) dto.remoteMediaUrl = content.remoteMediaUrl;
  if (content.persistFlag !== undefined) dto.persistFlag = content.persistFlag;
  if (content.expireDuration !== undefined) dto.expireDuration = content.expireDuration;
  if (content.mentionedType !== undefined) dto.mentionedType = content.mentionedType;
  if (content.mentionedTarget.length > 0) dto.mentionedTarget = content.mentionedTarget;
  return dto;
}

export function contentToProto(dto: MessageContentDto): MessageContent {
  const content: MessageContent = { type: dto.type, mentionedTarget: dto.mentionedTarget ?? [] };
  if (dto.searchableContent !== undefined) content.searchableContent = dto.searchableContent;
  if (dto.pushContent !== undefined) content.pushContent = dto.pushContent;
  if (dto.content !== undefined) content.content = dto.content;
  if (dto.data !== undefined) content.data = Buffer.from(dto.data, 'base64');
  if (dto.mediaType !== undefined) content.mediaType = dto.mediaType;
  if (dto.remoteMediaUrl !== undefined) content.remoteMediaUrl = dto.remoteMediaUrl;
  if (dto.persistFlag !== undefined) content.persistFlag = dto.persistFlag;
  if (dto.expireDuration !== undefined) content.expireDuration = dto.expireDuration;
  if (dto.mentionedType !== undefined) content.mentionedType = dto.mentionedType;
  return content;
}

export function messageToProto(dto: MessageDto): Message {
  return {
    conversation: dto.conversation,
    fromUser: dto.fromUser,
    content: contentToProto(dto.content),
    messageId: dto.messageId,
    serverTimestamp: String(dto.serverTimestamp),
    to: dto.to ?? [],
  };
}

/** MRP push content (fscpush extension, JSON on both transports): the conversation as the sender sees it. */
export function receiptPush(kind: number, reader: string, messageId: string) {
  return { type: kind, conversationType: 0, target: reader, line: 0, messageUid: messageId };
}
