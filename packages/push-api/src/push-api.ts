import {
  SERVICE_NAMES,
  CALL_POLICIES,
  boundPort,
  closeHttp,
  listenHttp,
  type ConfigValues,
  type FriendService,
  type GroupService,
  type Logger,
  type MessageService,
  type TlsMaterial,
  type UserService,
} from '@fscpush/core';
import type { ServiceRegistry, SharedGrid } from '@fscpush/ports';
import type { ApiStore } from './store/index.ts';
import { createApiApp } from './api-app.ts';
import { AppKeys } from './auth/app-keys.ts';
import { Authenticator } from './auth/authenticate.ts';
import { RateLimiter } from './http/rate-limiter.ts';

export interface PushApiDeps {
  config: ConfigValues;
  registry: ServiceRegistry;
  /** app keys (table api_keys) */
  store: ApiStore;
  /** rate-limit counters shared by every push-api instance */
  grid: SharedGrid;
  adminSecret: string;
  log: Logger;
  tls?: TlsMaterial;
}

export interface PushApi {
  readonly port: number;
  close(): Promise<void>;
}

/** push-api: the authenticated HTTP API for integrations (see openapi.json). */
export async function startPushApi(deps: PushApiDeps): Promise<PushApi> {
  const appKeys = new AppKeys(deps.store.db);
  const services = {
    users: deps.registry.consume<UserService>(SERVICE_NAMES.users, CALL_POLICIES.users),
    messages: deps.registry.consume<MessageService>(SERVICE_NAMES.messages, CALL_POLICIES.messages),
    groups: deps.registry.consume<GroupService>(SERVICE_NAMES.groups, CALL_POLICIES.groups),
    friends: deps.registry.consume<FriendService>(SERVICE_NAMES.friends, CALL_POLICIES.friends),
    appKeys,
  };
  const rateLimit = { limit: deps.config['push.api.rate.limit'], windowSeconds: deps.config['push.api.rate.window.seconds'] };
  const app = createApiApp({
    services,
    authenticator: new Authenticator(deps.adminSecret, appKeys),
    rateLimiter: new RateLimiter(deps.grid, rateLimit, deps.log),
    log: deps.log,
  });
  const server = await listenHttp(app, deps.config['server.address'], deps.config['push.api.port'], deps.tls);
  const port = boundPort(server);
  deps.log.info({ port, tls: deps.tls !== undefined, rateLimit }, 'push-api listening');
  return { port, close: () => closeHttp(server) };
}
