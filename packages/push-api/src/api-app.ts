import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { FscError, SYSTEM_USER_ID, asFscError, type Logger, type MessageService, type UserService } from '@fscpush/core';
import { requireAdminSecret } from './admin-auth.ts';

export interface ApiServices {
  users: UserService;
  messages: MessageService;
}

type Handler = (req: Request) => Promise<unknown>;

/** v1 errors: HTTP status from the error table and `{error:{code,message}}` with the stable code. */
function v1(handler: Handler) {
  return async (req: Request, res: Response) => {
    try {
      res.json({ result: await handler(req) });
    } catch (err) {
      const error = asFscError(err);
      res.status(error.httpStatus).json({ error: { code: error.code, message: error.message } });
    }
  };
}

/** FShareChat's RestResult shape for its /admin paths: code 0 ok, otherwise the protocol error code. */
function legacy(handler: Handler) {
  return async (req: Request, res: Response) => {
    try {
      res.json({ code: 0, message: 'success', result: await handler(req) });
    } catch (err) {
      const error = asFscError(err);
      res.json({ code: error.protocolCode, message: error.message });
    }
  };
}

export function createApiApp(services: ApiServices, adminSecret: string, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/monitor/alive', (_req, res) => {
    res.json({ code: 200, message: 'success' });
  });

  const admin = express.Router();
  admin.use(requireAdminSecret(adminSecret));
  admin.use(express.json({ limit: '256kb' }));

  const createUser: Handler = async (req) => {
    const body = req.body ?? {};
    return services.users.create({ ...body, uid: body.uid ?? body.userId });
  };
  const getUser = async (query: { uid?: string; name?: string; mobile?: string }) => {
    const user = await services.users.get(query);
    if (!user) throw new FscError('NOT_EXIST', 'user does not exist');
    return user;
  };
  const sendMessage: Handler = async (req) => {
    const body = req.body ?? {};
    const from = typeof body.from === 'string' && body.from !== '' ? body.from : SYSTEM_USER_ID;
    return services.messages.send({ uid: from, clientId: '', conversation: body.conversation, content: body.content, to: body.to });
  };

  admin.post('/v1/users', v1(createUser));
  admin.get('/v1/users/:uid', v1((req) => getUser({ uid: String(req.params['uid']) })));
  admin.put('/v1/users/:uid/status', v1(async (req) => {
    await services.users.setStatus(String(req.params['uid']), Number(req.body?.status));
    return { uid: String(req.params['uid']), status: Number(req.body?.status) };
  }));
  admin.post('/v1/messages', v1(sendMessage));
  admin.post('/admin/user/create', legacy(createUser));
  admin.post('/admin/user/get_info', legacy((req) => {
    const body = req.body ?? {};
    return getUser({ uid: body.userId ?? body.uid, name: body.name, mobile: body.mobile });
  }));
  app.use(admin);

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_EXIST', message: 'no such endpoint' } });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    if (status >= 500) log.error({ err }, 'push-api request failed');
    res.status(status >= 400 && status < 500 ? status : 500).json({ error: { code: status < 500 ? 'INVALID_DATA' : 'SERVER_ERROR', message: status < 500 ? 'bad request' : 'server error' } });
  });
  return app;
}
