import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { FscError, asFscError, type Logger } from '@fscpush/core';
import type { Authenticator } from './auth/authenticate.ts';
import type { RateLimiter } from './http/rate-limiter.ts';
import { sendError } from './http/reply.ts';
import { routeHandler } from './http/route-handler.ts';
import { buildOpenApiDocument } from './openapi/build-document.ts';
import { ROUTES } from './routes/index.ts';
import { expressPath, type ApiServices, type Principal, type Route } from './routes/route.ts';

export interface ApiAppDeps {
  services: ApiServices;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  log: Logger;
  routes?: readonly Route[];
}

/**
 * The HTTP adapter: open routes first; then every request is authenticated (admin secret or app key) and
 * counted against its key's rate limit before routing, so unknown paths look the same as known ones to
 * strangers; admin-only routes then check the principal.
 */
export function createApiApp(deps: ApiAppDeps): Express {
  const routes = deps.routes ?? ROUTES;
  let document: unknown;
  const handlerDeps = { services: deps.services, log: deps.log, openapi: () => (document ??= buildOpenApiDocument(routes)) };
  const app = express();
  app.disable('x-powered-by');

  for (const route of routes.filter((r) => r.access === 'open')) app[route.method](expressPath(route.path), routeHandler(route, handlerDeps));

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const principal = await deps.authenticator.principal(req);
      res.locals['principal'] = principal;
      const decision = await deps.rateLimiter.check(principal.keyId);
      if (!decision.ok) {
        res.set('Retry-After', String(decision.retryAfterSeconds));
        throw new FscError('OVER_FREQUENCY', 'rate limit of this key exceeded');
      }
      next();
    } catch (err) {
      const error = asFscError(err);
      if (error.httpStatus >= 500) deps.log.error({ err: error.cause ?? error }, 'push-api authentication failed');
      sendError(res, 'v1', error);
    }
  });

  const adminOnly = (_req: Request, res: Response, next: NextFunction) => {
    if ((res.locals['principal'] as Principal).admin) next();
    else sendError(res, 'v1', new FscError('NO_RIGHT', 'this endpoint needs the admin secret'));
  };
  for (const route of routes.filter((r) => r.access !== 'open')) {
    const handler = routeHandler(route, handlerDeps);
    if (route.access === 'admin') app[route.method](expressPath(route.path), adminOnly, handler);
    else app[route.method](expressPath(route.path), handler);
  }

  app.use((_req: Request, res: Response) => {
    sendError(res, 'v1', new FscError('NOT_EXIST', 'no such endpoint'));
  });
  // Express's own failures, e.g. a path parameter that is not valid percent-encoding (400).
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendError(res, 'v1', new FscError('INVALID_DATA', 'malformed request'));
      return;
    }
    deps.log.error({ err }, 'push-api request failed');
    sendError(res, 'v1', asFscError(err));
  });
  return app;
}
