import { SERVICE_NAMES, boundPort, closeHttp, listenHttp, type ConfigValues, type Logger, type MessageService, type TlsMaterial, type UserService } from '@fscpush/core';
import type { ServiceRegistry } from '@fscpush/infra';
import { createApiApp } from './api-app.ts';

export interface PushApiDeps {
  config: ConfigValues;
  registry: ServiceRegistry;
  adminSecret: string;
  log: Logger;
  tls?: TlsMaterial;
}

export interface PushApi {
  readonly port: number;
  close(): Promise<void>;
}

/** push-api: the authenticated HTTP API for integrations. */
export async function startPushApi(deps: PushApiDeps): Promise<PushApi> {
  const services = {
    users: deps.registry.consume<UserService>(SERVICE_NAMES.users, { idempotent: ['get', 'getMany'] }),
    messages: deps.registry.consume<MessageService>(SERVICE_NAMES.messages),
  };
  const app = createApiApp(services, deps.adminSecret, deps.log);
  const server = await listenHttp(app, deps.config['server.address'], deps.config['push.api.port'], deps.tls);
  const port = boundPort(server);
  deps.log.info({ port, tls: deps.tls !== undefined }, 'push-api listening');
  return { port, close: () => closeHttp(server) };
}
