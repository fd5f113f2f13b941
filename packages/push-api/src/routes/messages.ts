import { ConversationType, SYSTEM_USER_ID, asFscError, type MessageContentDto, type SendResult as SendResultDto } from '@fscpush/core';
import { z } from 'zod';
import { boundedMap } from './bounded-map.ts';
import { requireUser } from './lookups.ts';
import { defineRoute, type ApiServices, type Route } from './route.ts';
import { Conversation, Gid, MAX_TARGETS, MessageContent, SendResult, Uid, UidList } from './schemas.ts';

/** Sends of one batch in flight at once: the message writer commits concurrent sends together. */
const BATCH_CONCURRENCY = 16;

const SEND_ERRORS = ['NOT_EXIST', 'NOT_IN_GROUP', 'BLACKLISTED', 'FORBIDDEN_SEND'] as const;

const SendOutcome = z
  .object({
    target: z.string(),
    ok: z.boolean(),
    messageId: z.string().optional(),
    timestamp: z.number().int().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional().describe('why this target got nothing'),
  })
  .meta({ id: 'SendOutcome' });

const BatchResult = z.object({
  sent: z.number().int(),
  failed: z.number().int(),
  results: z.array(SendOutcome).describe('one entry per distinct target, in request order'),
});

function sendPrivate(services: ApiServices, from: string, to: string, content: MessageContentDto): Promise<SendResultDto> {
  return services.messages.send({ uid: from, clientId: '', conversation: { type: ConversationType.PRIVATE, target: to, line: 0 }, content });
}

/** One private message per distinct target; a failing target is reported, the others still get theirs. */
export async function sendToEach(services: ApiServices, from: string, targets: readonly string[], content: MessageContentDto): Promise<z.input<typeof BatchResult>> {
  const distinct = [...new Set(targets)];
  const results = await boundedMap(distinct, BATCH_CONCURRENCY, async (target) => {
    try {
      return { target, ok: true, ...(await sendPrivate(services, from, target, content)) };
    } catch (err) {
      const error = asFscError(err);
      return { target, ok: false, error: { code: error.code, message: error.message } };
    }
  });
  const sent = results.filter((r) => r.ok).length;
  return { sent, failed: results.length - sent, results };
}

export const MESSAGE_ROUTES: Route[] = [
  defineRoute({
    operationId: 'sendMessage',
    method: 'post',
    path: '/v1/messages',
    tag: 'messages',
    summary: 'Send a message to a user or a group',
    description: `From \`from\`, or from the \`${SYSTEM_USER_ID}\` user when absent. Group messages need a sender in the group; \`to\` restricts a group message to some members.`,
    access: 'app',
    style: 'v1',
    body: z.strictObject({
      from: Uid.optional(),
      conversation: Conversation,
      content: MessageContent,
      to: z.array(Uid).max(MAX_TARGETS).optional(),
    }),
    result: SendResult,
    errors: SEND_ERRORS,
    handle: ({ services }, { body }) =>
      services.messages.send({
        uid: body.from ?? SYSTEM_USER_ID,
        clientId: '',
        conversation: { type: body.conversation.type, target: body.conversation.target, line: body.conversation.line ?? 0 },
        content: body.content,
        ...(body.to !== undefined && { to: body.to }),
      }),
  }),
  defineRoute({
    operationId: 'sendPrivateMessage',
    method: 'post',
    path: '/v1/messages/private',
    tag: 'messages',
    summary: 'Send a 1:1 message from one user to another',
    description: 'Refused with BLACKLISTED when the receiver blacklisted the sender, FORBIDDEN_SEND when the sender is muted or blocked.',
    access: 'app',
    style: 'v1',
    body: z.strictObject({ from: Uid, to: Uid, content: MessageContent }),
    result: SendResult,
    errors: SEND_ERRORS,
    handle: ({ services }, { body }) => sendPrivate(services, body.from, body.to, body.content),
  }),
  defineRoute({
    operationId: 'sendGroupMessage',
    method: 'post',
    path: '/v1/messages/group',
    tag: 'messages',
    summary: 'Send a message to a group as one of its members',
    access: 'app',
    style: 'v1',
    body: z.strictObject({ from: Uid, gid: Gid, content: MessageContent, to: z.array(Uid).max(MAX_TARGETS).optional().describe('only these members receive it') }),
    result: SendResult,
    errors: SEND_ERRORS,
    handle: ({ services }, { body }) =>
      services.messages.send({
        uid: body.from,
        clientId: '',
        conversation: { type: ConversationType.GROUP, target: body.gid, line: 0 },
        content: body.content,
        ...(body.to !== undefined && { to: body.to }),
      }),
  }),
  defineRoute({
    operationId: 'sendSystemMessage',
    method: 'post',
    path: '/v1/messages/system',
    tag: 'messages',
    summary: 'Send a system notification to a user',
    description: `A private message from the \`${SYSTEM_USER_ID}\` user.`,
    access: 'app',
    style: 'v1',
    body: z.strictObject({ to: Uid, content: MessageContent }),
    result: SendResult,
    errors: SEND_ERRORS,
    handle: ({ services }, { body }) => sendPrivate(services, SYSTEM_USER_ID, body.to, body.content),
  }),
  defineRoute({
    operationId: 'sendBatchMessages',
    method: 'post',
    path: '/v1/messages/batch',
    tag: 'messages',
    summary: `Send one private message to each of up to ${MAX_TARGETS} users`,
    description: `From \`from\`, or from the \`${SYSTEM_USER_ID}\` user when absent. Each distinct target gets its own message; the answer reports every target (an unknown user is a failed entry, not an error of the request); an unknown sender is NOT_EXIST.`,
    access: 'app',
    style: 'v1',
    body: z.strictObject({ from: Uid.optional(), targets: UidList, content: MessageContent }),
    result: BatchResult,
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { body }) => {
      if (body.from !== undefined) await requireUser(services, body.from);
      return sendToEach(services, body.from ?? SYSTEM_USER_ID, body.targets, body.content);
    },
  }),
];
