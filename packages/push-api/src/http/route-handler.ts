import { asFscError, type Logger } from '@fscpush/core';
import type { Request, Response } from 'express';
import type { ApiServices, Principal, Route } from '../routes/route.ts';
import { parseInput, readJsonBody } from './read-input.ts';
import { sendError, sendResult } from './reply.ts';

export interface HandlerDeps {
  services: ApiServices;
  openapi: () => unknown;
  log: Logger;
}

/** Validates path, query and body against the route's schemas, runs it, and answers in the route's style. */
export function routeHandler(route: Route, deps: HandlerDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const params = route.params === undefined ? undefined : parseInput(route.params, { ...req.params }, 'path');
      const query = route.query === undefined ? undefined : parseInput(route.query, { ...req.query }, 'query');
      const body = route.body === undefined ? undefined : parseInput(route.body, await readJsonBody(req, res), 'body');
      const principal = res.locals['principal'] as Principal | undefined;
      const result = await route.handle({ services: deps.services, principal, openapi: deps.openapi }, { params, query, body });
      sendResult(res, route.style, result);
    } catch (err) {
      const error = asFscError(err);
      if (error.httpStatus >= 500) deps.log.error({ err: error.cause ?? error, code: error.code, route: route.operationId }, 'push-api request failed');
      sendError(res, route.style, error);
    }
  };
}
