import { z } from 'zod';
import { defineRoute, type Route } from './route.ts';

export const META_ROUTES: Route[] = [
  defineRoute({
    operationId: 'alive',
    method: 'get',
    path: '/monitor/alive',
    tag: 'meta',
    summary: 'Liveness',
    description: 'FShareChat\'s liveness probe; open.',
    access: 'open',
    style: 'raw',
    result: z.object({ code: z.literal(200), message: z.literal('success') }),
    errors: [],
    handle: async () => ({ code: 200 as const, message: 'success' as const }),
  }),
  defineRoute({
    operationId: 'openapi',
    method: 'get',
    path: '/v1/openapi.json',
    tag: 'meta',
    summary: 'This OpenAPI document',
    access: 'open',
    style: 'raw',
    result: z.object({ openapi: z.string() }).loose(),
    errors: [],
    handle: async ({ openapi }) => openapi() as { openapi: string },
  }),
];
