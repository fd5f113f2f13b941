import { ConversationType, FscError, SYSTEM_USER_ID, asFscError, normalMobile } from '@fscpush/core';
import { z } from 'zod';
import { boundedMap } from './bounded-map.ts';
import { defineRoute, type ApiServices, type Route } from './route.ts';
import { MAX_TARGETS, User } from './schemas.ts';

/** FShareChat's paths, answered in its RestResult shape (HTTP 200; code 0 ok, else the protocol error byte). */

const BATCH_CONCURRENCY = 16;

const LegacyUser = z.looseObject({
  userId: z.string().optional(),
  uid: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  portrait: z.string().optional(),
  mobile: z.string().optional(),
  email: z.string().optional(),
  gender: z.number().int().optional(),
  extra: z.string().optional(),
});

const UserQuery = z.looseObject({
  userId: z.string().optional(),
  uid: z.string().optional(),
  name: z.string().optional(),
  mobile: z.string().optional(),
});

/** `content.content` of pushNotificationByMobile: FShareChat's MessageContent. */
const NotificationContent = z.looseObject({
  type: z.literal([1, 2, 3, 4, 5, 6]).describe('1 text, 2 voice, 3 image, 4 location, 5 file, 6 video'),
  searchableContent: z.string().optional(),
  pushContent: z.string().optional(),
  binaryContent: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).optional().describe('base64 (e.g. a thumbnail)'),
  content: z.string().optional(),
  mediaType: z.number().int().min(0).max(4).optional().describe('0 general, 1 image, 2 voice, 3 video, 4 file'),
  remoteMediaUrl: z.string().max(2048).optional(),
});

const Notification = z.looseObject({
  mobiles: z.array(z.string().max(32)).min(1).max(MAX_TARGETS),
  content: z.looseObject({
    content: NotificationContent,
    messageId: z.union([z.string(), z.number()]).optional().describe('accepted and ignored: the server assigns message ids'),
    timestamp: z.number().optional().describe('accepted and ignored: the server time is used'),
  }),
});

const MobileOutcome = z
  .object({
    code: z.number().int().describe('0 sent; 2 invalid mobile; 253 no user has this mobile; else the protocol error byte'),
    message: z.string(),
    userId: z.string().optional(),
    messageId: z.string().optional(),
    timestamp: z.number().int().optional(),
  })
  .meta({ id: 'MobileOutcome' });

async function getUser(services: ApiServices, query: { uid?: string | undefined; name?: string | undefined; mobile?: string | undefined }) {
  const defined = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as { uid?: string; name?: string; mobile?: string };
  const user = await services.users.get(defined);
  if (!user) throw new FscError('NOT_EXIST', 'user does not exist');
  return user;
}

async function notifyMobile(services: ApiServices, mobile: string, content: z.output<typeof NotificationContent>): Promise<z.input<typeof MobileOutcome>> {
  if (normalMobile(mobile) === undefined) return { code: new FscError('INVALID_MOBILE').protocolCode, message: 'invalid mobile number' };
  try {
    const user = await services.users.get({ mobile });
    if (!user) return { code: new FscError('NOT_EXIST').protocolCode, message: 'no user has this mobile' };
    const sent = await services.messages.send({
      uid: SYSTEM_USER_ID,
      clientId: '',
      conversation: { type: ConversationType.PRIVATE, target: user.uid, line: 0 },
      content: {
        type: content.type,
        ...(content.searchableContent !== undefined && { searchableContent: content.searchableContent }),
        ...(content.pushContent !== undefined && { pushContent: content.pushContent }),
        ...(content.content !== undefined && { content: content.content }),
        ...(content.binaryContent !== undefined && { data: content.binaryContent }),
        ...(content.mediaType !== undefined && { mediaType: content.mediaType }),
        ...(content.remoteMediaUrl !== undefined && { remoteMediaUrl: content.remoteMediaUrl }),
      },
    });
    return { code: 0, message: 'success', userId: user.uid, messageId: sent.messageId, timestamp: sent.timestamp };
  } catch (err) {
    const error = asFscError(err);
    return { code: error.protocolCode, message: error.message };
  }
}

export const FSHARECHAT_ROUTES: Route[] = [
  defineRoute({
    operationId: 'legacyCreateUser',
    method: 'post',
    path: '/admin/user/create',
    tag: 'fsharechat',
    summary: 'FShareChat: create a user',
    description: 'FShareChat\'s `/admin/user/create` (`userId` or `uid`). Unlike FShareChat it needs credentials.',
    access: 'app',
    style: 'rest-result',
    body: LegacyUser,
    result: User,
    errors: ['INVALID_MOBILE'],
    handle: ({ services }, { body }) => {
      const uid = body.uid ?? body.userId;
      const { name, displayName, portrait, mobile, email, gender, extra } = body;
      const fields = { uid, name, displayName, portrait, mobile, email, gender, extra };
      return services.users.create(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
    },
  }),
  defineRoute({
    operationId: 'legacyGetUser',
    method: 'post',
    path: '/admin/user/get_info',
    tag: 'fsharechat',
    summary: 'FShareChat: get a user by id, name or mobile',
    description: 'FShareChat\'s `/admin/user/get_info`: the first of `userId` (or `uid`), `mobile`, `name` given is used. Unlike FShareChat it needs credentials.',
    access: 'app',
    style: 'rest-result',
    body: UserQuery,
    result: User,
    errors: ['NOT_EXIST'],
    handle: ({ services }, { body }) => getUser(services, { uid: body.userId ?? body.uid, name: body.name, mobile: body.mobile }),
  }),
  defineRoute({
    operationId: 'pushNotificationByMobile',
    method: 'post',
    path: '/imopenapi/pushNotificationByMobile',
    tag: 'fsharechat',
    summary: 'FShareChat: send a system notification to users by mobile',
    description:
      `FShareChat pro's \`/imopenapi/pushNotificationByMobile\`: \`content.content\` goes as a private message from the \`${SYSTEM_USER_ID}\` user to the user of each mobile (at most ${MAX_TARGETS}). ` +
      '`result` holds one outcome per distinct mobile, keyed by the mobile; an unknown or invalid mobile is reported there and does not fail the request. ' +
      'Unlike FShareChat it needs credentials (admin secret or app key).',
    access: 'app',
    style: 'rest-result',
    body: Notification,
    result: z.record(z.string(), MobileOutcome),
    errors: [],
    handle: async ({ services }, { body }) => {
      const mobiles = [...new Set(body.mobiles)];
      const outcomes = await boundedMap(mobiles, BATCH_CONCURRENCY, (mobile) => notifyMobile(services, mobile, body.content.content));
      return Object.fromEntries(mobiles.map((mobile, i) => [mobile, outcomes[i]!]));
    },
  }),
];
