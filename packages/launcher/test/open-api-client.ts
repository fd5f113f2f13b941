import assert from 'node:assert/strict';
import { ERROR_TABLE, isErrorCode, type ErrorCode } from '@fscpush/core';
import { ROUTES, routeErrorCodes, type Route } from '@fscpush/push-api';

export interface ApiReply {
  status: number;
  json: any;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  /** sent as is (no JSON encoding) */
  raw?: string;
  /** the Bearer credential; null sends none */
  credential?: string | null;
  headers?: Record<string, string>;
}

const TEMPLATES = ROUTES.map((route) => ({ route, pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

export function routeOf(method: string, path: string): Route | undefined {
  const bare = path.split('?')[0]!;
  return TEMPLATES.find((t) => t.route.method === method.toLowerCase() && t.pattern.test(bare))?.route;
}

/**
 * An HTTP client for push-api that checks every answer against the documentation: a success's result parses
 * with the route's result schema, an error's code is one the route documents, with the table's HTTP status.
 */
export class OpenApiClient {
  readonly base: string;
  readonly credential: string;
  /** codes seen, as `operationId code` */
  readonly seen = new Set<string>();

  constructor(base: string, credential: string) {
    this.base = base;
    this.credential = credential;
  }

  withCredential(credential: string): OpenApiClient {
    return new OpenApiClient(this.base, credential);
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiReply> {
    const headers: Record<string, string> = { ...options.headers };
    const credential = options.credential === undefined ? this.credential : options.credential;
    if (credential !== null) headers['authorization'] = `Bearer ${credential}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, ...(body !== undefined && { body }) });
    const text = await res.text();
    const reply = { status: res.status, json: text === '' ? undefined : JSON.parse(text), headers: res.headers };
    this.conform(method, path, reply);
    return reply;
  }

  private conform(method: string, path: string, reply: ApiReply): void {
    const where = `${method} ${path} → ${reply.status} ${JSON.stringify(reply.json).slice(0, 300)}`;
    const route = routeOf(method, path);
    if (reply.status !== 200) {
      const code = reply.json?.error?.code;
      assert.ok(isErrorCode(code), `${where}: an error object with a table code`);
      assert.equal(typeof reply.json.error.message, 'string', where);
      assert.equal(reply.status, ERROR_TABLE[code].httpStatus, `${where}: the table's status`);
      assert.doesNotMatch(JSON.stringify(reply.json), /\n\s+at |node_modules|\.ts:\d+/, `${where}: no stack trace`);
      if (route) {
        assert.ok(routeErrorCodes(route).includes(code), `${where}: ${route.operationId} does not document ${code}`);
        this.seen.add(`${route.operationId} ${code}`);
      }
      return;
    }
    assert.ok(route, `${where}: a documented route answered`);
    if (route.style === 'v1') {
      const parsed = route.result.safeParse(reply.json.result);
      assert.ok(parsed.success, `${where}: result matches the documented schema: ${parsed.error?.message}`);
    } else if (route.style === 'raw') {
      assert.ok(route.result.safeParse(reply.json).success, `${where}: matches the documented schema`);
    } else if (reply.json.code === 0) {
      assert.equal(reply.json.message, 'success', where);
      const parsed = route.result.safeParse(reply.json.result);
      assert.ok(parsed.success, `${where}: result matches the documented schema: ${parsed.error?.message}`);
    } else {
      const documented = routeErrorCodes(route).filter((c: ErrorCode) => ERROR_TABLE[c].protocolCode === reply.json.code);
      assert.ok(documented.length > 0, `${where}: RestResult code ${reply.json.code} is a documented code's protocol byte`);
      this.seen.add(`${route.operationId} ${reply.json.code}`);
    }
  }
}
