import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_TABLE, createLogger, type ErrorCode } from '@fscpush/core';
import { ROUTES, buildOpenApiDocument, createApiApp, routeErrorCodes, type ApiAppDeps } from '../src/index.ts';

const committed = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** path+method pairs the document describes */
function documented(doc: any): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
    for (const method of Object.keys(item)) if (METHODS.includes(method)) out.add(`${method.toUpperCase()} ${path}`);
  }
  return out;
}

/** path+method pairs the real Express app routes, read from its router */
function routed(): Set<string> {
  const app = createApiApp({ services: {}, authenticator: {}, rateLimiter: {}, log: createLogger('test', { level: 'silent' }) } as unknown as ApiAppDeps);
  const out = new Set<string>();
  for (const layer of (app as any).router.stack) {
    if (!layer.route) continue;
    const path = String(layer.route.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of Object.keys(layer.route.methods)) out.add(`${method.toUpperCase()} ${path}`);
  }
  return out;
}

test('openapi.json is the document the code builds (regenerate: node scripts/openapi.ts)', () => {
  assert.deepEqual(committed, buildOpenApiDocument(), 'packages/push-api/openapi.json is stale (routes or ERROR_TABLE changed): run node scripts/openapi.ts');
  assert.equal(committed.openapi, '3.1.0');
});

test('every routed path+method is documented, and every documented one is routed', () => {
  const inApp = routed();
  const inDoc = documented(committed);
  assert.ok(inApp.size >= 20, `the app routes ${inApp.size} operations`);
  assert.deepEqual([...inApp].filter((op) => !inDoc.has(op)), [], 'routed but not documented');
  assert.deepEqual([...inDoc].filter((op) => !inApp.has(op)), [], 'documented but not routed');
});

test('the error table and the document agree both ways', () => {
  const codes = Object.keys(ERROR_TABLE).sort();
  assert.deepEqual([...committed.components.schemas.ErrorCode.enum].sort(), codes, 'ErrorCode lists every code of ERROR_TABLE');
  assert.deepEqual(committed['x-error-codes'].map((e: { code: string }) => e.code).sort(), codes);
  for (const entry of committed['x-error-codes']) {
    const row = ERROR_TABLE[entry.code as ErrorCode];
    assert.deepEqual({ httpStatus: entry.httpStatus, protocolCode: entry.protocolCode, retriable: entry.retriable, message: entry.message }, row, entry.code);
    const response = committed.components.responses[`Error${row.httpStatus}`];
    assert.ok(response?.description.includes(`${entry.code}:`), `response Error${row.httpStatus} names ${entry.code}`);
  }
});

test('every operation lists the codes it can answer, each under its HTTP status (or in the RestResult body)', () => {
  const byId = new Map(ROUTES.map((r) => [r.operationId, r]));
  const answerable = new Set<string>();
  for (const item of Object.values<Record<string, any>>(committed.paths)) {
    for (const op of Object.values(item)) {
      const route = byId.get(op.operationId);
      assert.ok(route, `${op.operationId} is a route`);
      assert.deepEqual(op['x-error-codes'], routeErrorCodes(route));
      for (const code of op['x-error-codes'] as ErrorCode[]) {
        assert.ok(Object.hasOwn(ERROR_TABLE, code), `${op.operationId}: ${code} is in ERROR_TABLE`);
        answerable.add(code);
        const status = String(ERROR_TABLE[code].httpStatus);
        const inBody = route.style === 'rest-result' && (op.responses['200']['x-error-codes'] as string[]).includes(code);
        assert.ok(inBody || op.responses[status]?.$ref === `#/components/responses/Error${status}`, `${op.operationId} documents ${code} (${status})`);
      }
    }
  }
  for (const code of ['INVALID_DATA', 'UNAUTHENTICATED', 'OVER_FREQUENCY', 'NOT_EXIST', 'NO_RIGHT', 'SERVER_ERROR']) assert.ok(answerable.has(code), code);
});

test('operation ids are unique and every route has a tag the document declares', () => {
  const ids = ROUTES.map((r) => r.operationId);
  assert.equal(new Set(ids).size, ids.length);
  const tags = new Set(committed.tags.map((t: { name: string }) => t.name));
  for (const route of ROUTES) assert.ok(tags.has(route.tag), `${route.operationId}: tag ${route.tag}`);
});
