import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { FscError, asFscError, type ErrorCode, type Logger } from '@fscpush/core';
import type { LoginService } from './login-service.ts';

/** FShareChat RestResult codes the clients know; anything else is reported as 4 (server error) or 2. */
const REST_CODES: Partial<Record<ErrorCode, number>> = {
  INVALID_MOBILE: 1,
  INVALID_DATA: 2,
  CODE_TOO_FREQUENT: 3,
  OVER_FREQUENCY: 3,
  // a vendor's refusal of any kind is FShareChat's server error; the message says to try later
  SMS_THROTTLED: 4,
  SMS_UNAVAILABLE: 4,
  SERVER_ERROR: 4,
  CODE_EXPIRED: 5,
  CODE_WRONG: 6,
  NO_RIGHT: 7,
};

export function restError(err: unknown, log: Logger): { code: number; message: string } {
  const error = asFscError(err);
  if (error.code === 'SERVER_ERROR') log.error({ err }, 'request failed');
  return { code: REST_CODES[error.code] ?? 4, message: error.message };
}

/** CORS as the web client needs: any origin, JSON bodies, no credentials; preflight answered with 204. */
export function cors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization, x-admin-secret');
  res.setHeader('Access-Control-Max-Age', '86400');
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
}

/** `trustedProxies` is login.trusted.proxies: whose X-Forwarded-For names the client (express trust proxy). */
export function createLoginApp(login: LoginService, log: Logger, trustedProxies: string): Express {
  const app = express();
  app.disable('x-powered-by');
  try {
    app.set('trust proxy', trustedProxies === '' ? false : trustedProxies);
  } catch (err) {
    throw new FscError('CONFIG_INVALID', `invalid configuration: login.trusted.proxies ${JSON.stringify(trustedProxies)}: ${(err as Error).message}`);
  }
  app.use(cors);
  app.use(express.json({ limit: '16kb', type: () => true }));

  app.post('/send_code', async (req, res) => {
    try {
      await login.sendCode(req.body?.mobile, clientAddress(req));
      res.json({ code: 0, message: 'success' });
    } catch (err) {
      res.json(restError(err, log));
    }
  });

  app.post('/login', async (req, res) => {
    try {
      const body = req.body ?? {};
      const result = await login.login(body.mobile, body.code, body.clientId, clientAddress(req), Number(body.platform) || 0);
      res.json({ code: 0, message: 'success', result });
    } catch (err) {
      res.json(restError(err, log));
    }
  });

  app.get('/monitor/alive', (_req, res) => {
    res.json({ code: 200, message: 'success' });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    res.status(status >= 400 && status < 500 ? status : 500).json({ code: status === 413 ? 2 : status < 500 ? 2 : 4, message: status < 500 ? 'bad request' : 'server error' });
  });
  return app;
}

/** The client's address: the socket's peer, or what a trusted proxy put in X-Forwarded-For. */
function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
