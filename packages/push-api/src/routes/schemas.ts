import { z } from 'zod';

/** Schemas shared by several routes; `.meta({id})` names them as OpenAPI components. */

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const Uid = z.string().regex(ID).meta({ id: 'UserId', description: 'user id: 1-64 characters of A-Z a-z 0-9 _ -' });
export const Gid = z.string().regex(ID).meta({ id: 'GroupId', description: 'group id: 1-64 characters of A-Z a-z 0-9 _ -' });
/** At most this many targets in one request (batch sends, member lists, mobiles). */
export const MAX_TARGETS = 1000;
export const UidList = z.array(Uid).min(1).max(MAX_TARGETS);

export const MessageContent = z
  .strictObject({
    type: z.number().int().min(0).max(100000).describe('content type: 1 text, 2 voice, 3 image, 4 location, 5 file, 6 video, 7 sticker, 8 rich, 90 tip, …'),
    searchableContent: z.string().optional().describe('the text of a text message; what search finds'),
    pushContent: z.string().optional(),
    content: z.string().optional(),
    data: z.string().regex(BASE64).optional().describe('binary content (e.g. a thumbnail), base64'),
    mediaType: z.number().int().min(0).max(100).optional().describe('0 general, 1 image, 2 voice, 3 video, 4 file'),
    remoteMediaUrl: z.string().max(2048).optional(),
    persistFlag: z.literal([0, 1, 3, 4]).optional().describe('0 not stored, 1 stored, 3 stored and counted unread, 4 transparent (online devices only)'),
    expireDuration: z.number().int().min(0).optional(),
    mentionedType: z.number().int().min(0).max(2).optional(),
    mentionedTarget: z.array(Uid).max(MAX_TARGETS).optional(),
  })
  .meta({ id: 'MessageContent', description: 'message content; the whole content is limited by message.max.content.bytes' });

export const Conversation = z
  .strictObject({
    type: z.literal([0, 1]).describe('0 private (target: a user id), 1 group (target: a group id)'),
    target: Uid.describe('the peer user or the group'),
    line: z.number().int().min(0).max(1000).optional(),
  })
  .meta({ id: 'Conversation' });

export const SendResult = z
  .object({
    messageId: z.string().regex(/^\d+$/).describe('64-bit message id, decimal'),
    timestamp: z.number().int().describe('server time, ms'),
  })
  .meta({ id: 'SendResult', description: 'the message is stored in every receiver inbox' });

export const User = z
  .object({
    uid: z.string(),
    name: z.string(),
    displayName: z.string(),
    portrait: z.string(),
    mobile: z.string(),
    email: z.string(),
    address: z.string(),
    company: z.string(),
    social: z.string(),
    extra: z.string(),
    gender: z.number().int(),
    type: z.number().int(),
    status: z.number().int().describe('0 normal, 1 muted, 2 blocked'),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'User' });

export const GroupInfo = z
  .object({
    gid: z.string(),
    name: z.string(),
    portrait: z.string(),
    owner: z.string(),
    type: z.number().int(),
    extra: z.string(),
    memberCount: z.number().int(),
    updatedAt: z.number().int(),
    memberUpdatedAt: z.number().int(),
  })
  .meta({ id: 'GroupInfo' });

export const GroupMember = z
  .object({
    gid: z.string(),
    uid: z.string(),
    alias: z.string(),
    type: z.number().int().describe('0 member, 1 manager, 2 owner'),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'GroupMember' });

export const Friend = z
  .object({
    uid: z.string(),
    alias: z.string(),
    state: z.number().int().describe('0 friend, 1 not a friend'),
    blacklisted: z.boolean().describe('on the list owner\'s blacklist'),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'Friend' });

export const UidParams = z.strictObject({ uid: Uid });
export const GidParams = z.strictObject({ gid: Gid });
export const PairParams = z.strictObject({ uid: Uid, target: Uid });
