import { z } from 'zod';
import { UidParams, Uid, User } from './schemas.ts';
import { requireUser } from './lookups.ts';
import { defineRoute, type Route } from './route.ts';

const Gender = z.literal([0, 1, 2]).describe('0 unknown, 1 male, 2 female');

const CreateUser = z.strictObject({
  uid: Uid.optional().describe('chosen user id; generated when absent'),
  name: z.string().min(1).max(128).optional(),
  displayName: z.string().min(1).max(128).optional(),
  portrait: z.string().max(1024).optional(),
  mobile: z.string().max(32).optional().describe('the login identity (unique), stored in one form: a mainland number as its 11 digits (+86, 0086, 86, a leading 0, spaces and dashes dropped), others as +country code and number'),
  email: z.string().max(128).optional(),
  gender: Gender.optional(),
  extra: z.string().max(2048).optional(),
});

const UpdateUser = z
  .strictObject({
    name: z.string().min(1).max(128).optional(),
    displayName: z.string().min(1).max(128).optional(),
    portrait: z.string().max(1024).optional(),
    email: z.string().max(128).optional(),
    address: z.string().max(256).optional(),
    company: z.string().max(128).optional(),
    social: z.string().max(512).optional(),
    extra: z.string().max(2048).optional(),
    gender: Gender.optional(),
  })
  .refine((fields) => Object.keys(fields).length > 0, 'nothing to change');

const Status = z.literal([0, 1, 2]);

export const USER_ROUTES: Route[] = [
  defineRoute({
    operationId: 'createUser',
    method: 'post',
    path: '/v1/users',
    tag: 'users',
    summary: 'Create a user',
    description: 'Users created here log in with their mobile like any other. A taken uid or mobile is INVALID_DATA.',
    access: 'app',
    style: 'v1',
    body: CreateUser,
    result: User,
    errors: ['INVALID_MOBILE'],
    handle: ({ services }, { body }) => services.users.create(body),
  }),
  defineRoute({
    operationId: 'getUser',
    method: 'get',
    path: '/v1/users/{uid}',
    tag: 'users',
    summary: 'Get a user',
    access: 'app',
    style: 'v1',
    params: UidParams,
    result: User,
    errors: ['NOT_EXIST'],
    handle: ({ services }, { params }) => requireUser(services, params.uid),
  }),
  defineRoute({
    operationId: 'updateUser',
    method: 'patch',
    path: '/v1/users/{uid}',
    tag: 'users',
    summary: 'Update a user\'s profile',
    description: 'Only the fields given change. The mobile is the login identity and cannot be changed here.',
    access: 'app',
    style: 'v1',
    params: UidParams,
    body: UpdateUser,
    result: User,
    errors: ['NOT_EXIST'],
    handle: ({ services }, { params, body }) => services.users.update(params.uid, body),
  }),
  defineRoute({
    operationId: 'setUserStatus',
    method: 'put',
    path: '/v1/users/{uid}/status',
    tag: 'users',
    summary: 'Mute, block or restore a user',
    description: '0 normal, 1 muted (may not send: FORBIDDEN_SEND), 2 blocked (may not log in; online devices are disconnected).',
    access: 'app',
    style: 'v1',
    params: UidParams,
    body: z.strictObject({ status: Status }),
    result: z.object({ uid: z.string(), status: z.number().int() }),
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { params, body }) => {
      await services.users.setStatus(params.uid, body.status);
      return { uid: params.uid, status: body.status };
    },
  }),
];
