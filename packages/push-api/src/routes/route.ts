import type { ErrorCode, FriendService, GroupService, MessageService, UserService } from '@fscpush/core';
import type { z } from 'zod';
import type { AppKeys } from '../auth/app-keys.ts';

/** The services a route calls: push-group's contracts through the registry, and push-api's own app keys. */
export interface ApiServices {
  users: UserService;
  messages: MessageService;
  groups: GroupService;
  friends: FriendService;
  appKeys: AppKeys;
}

/** Who made the request: the admin secret (key id `admin`) or an app key. */
export interface Principal {
  keyId: string;
  admin: boolean;
}

export interface HandlerContext {
  services: ApiServices;
  principal: Principal | undefined;
  /** the OpenAPI document this app serves */
  openapi: () => unknown;
}

/**
 * open: no credentials; app: the admin secret or an enabled app key; admin: the admin secret only.
 * v1 answers `{result}` or `{error:{code,message}}` with the code's HTTP status; rest-result answers FShareChat's
 * RestResult `{code, message, result}` with HTTP 200 (code 0 ok, else the protocol error byte); raw answers the
 * result itself.
 */
export type Access = 'open' | 'app' | 'admin';
export type ReplyStyle = 'v1' | 'rest-result' | 'raw';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI form: `/v1/users/{uid}` */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  style: ReplyStyle;
  params?: P;
  query?: Q;
  body?: B;
  /** what `result` holds on success */
  result: R;
  /** codes this route raises besides the ones every route of its access level can answer (see openapi/error-codes.ts) */
  errors: readonly ErrorCode[];
  handle(ctx: HandlerContext, input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

/** A route with its types erased, as the app and the OpenAPI builder see it. */
export type Route = Omit<RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>, 'handle'> & {
  handle(ctx: HandlerContext, input: RouteInput<unknown, unknown, unknown>): Promise<unknown>;
};

/** Checks at compile time that the handler gets what the schemas accept and returns what `result` documents. */
export function defineRoute<
  P extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  B extends z.ZodType = z.ZodNever,
  R extends z.ZodType = z.ZodType,
>(spec: RouteSpec<P, Q, B, R>): Route {
  return spec as unknown as Route;
}

/** `/v1/users/{uid}` → `/v1/users/:uid` */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
