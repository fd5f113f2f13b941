import { z } from 'zod';
import { defineRoute, type Route } from './route.ts';

const AppKey = z
  .object({
    keyId: z.string().describe('the public part of the key; names it in lists and logs'),
    name: z.string(),
    disabled: z.boolean(),
    createdAt: z.number().int(),
    disabledAt: z.number().int().describe('0 while enabled'),
  })
  .meta({ id: 'AppKey' });

const KeyIdParams = z.strictObject({ keyId: z.string().regex(/^[0-9a-f]{16}$/) });

export const APP_ROUTES: Route[] = [
  defineRoute({
    operationId: 'createAppKey',
    method: 'post',
    path: '/v1/apps',
    tag: 'apps',
    summary: 'Create an app key',
    description: 'The answer holds the key (`fsk_<keyId>_<secret>`); it is shown this once. The server keeps only its SHA-256.',
    access: 'admin',
    style: 'v1',
    body: z.strictObject({ name: z.string().trim().min(1).max(128).describe('what the key is for') }),
    result: AppKey.extend({ key: z.string().describe('send as Authorization: Bearer <key>') }),
    errors: [],
    handle: ({ services }, { body }) => services.appKeys.create(body.name),
  }),
  defineRoute({
    operationId: 'listAppKeys',
    method: 'get',
    path: '/v1/apps',
    tag: 'apps',
    summary: 'List app keys',
    description: 'Enabled and disabled keys, oldest first; never the keys themselves.',
    access: 'admin',
    style: 'v1',
    result: z.array(AppKey),
    errors: [],
    handle: ({ services }) => services.appKeys.list(),
  }),
  defineRoute({
    operationId: 'disableAppKey',
    method: 'post',
    path: '/v1/apps/{keyId}/disable',
    tag: 'apps',
    summary: 'Disable an app key',
    description: 'Requests with the key are refused from then on (UNAUTHENTICATED). Final: issue a new key instead of re-enabling.',
    access: 'admin',
    style: 'v1',
    params: KeyIdParams,
    result: AppKey,
    errors: ['NOT_EXIST'],
    handle: ({ services }, { params }) => services.appKeys.disable(params.keyId),
  }),
];
