import { ERROR_TABLE, type ErrorCode } from '@fscpush/core';
import { ROUTES, TAGS } from '../routes/index.ts';
import type { Route } from '../routes/route.ts';
import { GATE_CODES, routeErrorCodes } from './error-codes.ts';
import { JsonSchemas } from './json-schemas.ts';

type Json = Record<string, unknown>;

const ERROR_CODES = Object.keys(ERROR_TABLE) as ErrorCode[];

const DESCRIPTION = `The open API of fscpush, a FShareChat-compatible IM server.

**Authentication.** Every route but \`/monitor/alive\` and \`/v1/openapi.json\` needs \`Authorization: Bearer <credential>\`,
where the credential is the admin secret (\`im.admin_secret\`, or \`<data dir>/admin-secret\`; the header \`x-admin-secret\`
works too) or an app key (\`fsk_…\`). The admin secret creates, lists and disables app keys (\`/v1/apps\`); app keys reach
every other route. A missing, wrong or disabled credential is 401 UNAUTHENTICATED.

**Rate limits.** Each credential (every app key, and the admin secret as one more key) may make \`push.api.rate.limit\`
requests per \`push.api.rate.window.seconds\`-second window, counted across all push-api instances. Beyond that the
answer is 429 OVER_FREQUENCY with a \`Retry-After\` header (seconds).

**Errors.** A failed v1 request answers \`{"error":{"code","message","details"?}}\` with the HTTP status of its code
(the \`ErrorCode\` schema and the top-level \`x-error-codes\` list them all, and each operation's \`x-error-codes\` those
it can answer; a code never changes meaning). FShareChat paths
(tag fsharechat) answer its RestResult \`{"code","message","result"}\` with HTTP 200, \`code\` 0 or the protocol error
byte of the same table; only 401 and 429 come as HTTP errors there.`;

const json = (schema: Json): Json => ({ 'application/json': { schema } });
const ERROR_REF = { $ref: '#/components/schemas/Error' };

function errorComponents(schemas: JsonSchemas): void {
  schemas.addComponent('ErrorCode', {
    type: 'string',
    enum: ERROR_CODES,
    description: ERROR_CODES.map((code) => `${code} (HTTP ${ERROR_TABLE[code].httpStatus}, protocol ${ERROR_TABLE[code].protocolCode}): ${ERROR_TABLE[code].message}`).join('\n'),
  });
  schemas.addComponent('Error', {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { $ref: '#/components/schemas/ErrorCode' },
          message: { type: 'string', description: 'for humans; may change' },
          details: { type: 'object', description: 'structured facts, e.g. `issues` of a rejected request ({path, message}) or unknown user ids' },
        },
        required: ['code', 'message'],
      },
    },
    required: ['error'],
  });
  schemas.addComponent('RestResultError', {
    type: 'object',
    properties: {
      code: { type: 'integer', description: 'the protocol error byte of the ErrorCode (x-error-codes: protocolCode)' },
      message: { type: 'string' },
    },
    required: ['code', 'message'],
  });
}

function parameters(schemas: JsonSchemas, route: Route): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (schema === undefined) continue;
    const object = schemas.of(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property;
      out.push({ name, in: where, required: where === 'path' || (object.required ?? []).includes(name), ...(description !== undefined && { description }), schema: rest });
    }
  }
  return out;
}

function success(schemas: JsonSchemas, route: Route, inBody: ErrorCode[]): Json {
  const result = schemas.of(route.result, 'input'); // input: response objects stay open to new fields
  if (route.style === 'raw') return { description: 'OK', content: json(result) };
  if (route.style === 'v1') return { description: 'OK', content: json({ type: 'object', properties: { result }, required: ['result'] }) };
  return {
    description: `RestResult: code 0 with the result, or the protocol byte of ${inBody.join(', ')}`,
    content: json({
      oneOf: [
        { type: 'object', properties: { code: { const: 0 }, message: { const: 'success' }, result }, required: ['code', 'message', 'result'] },
        { $ref: '#/components/schemas/RestResultError' },
      ],
    }),
    'x-error-codes': inBody,
  };
}

/** One shared response per HTTP status an error code has; an operation's own codes are in its x-error-codes. */
function errorResponses(): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of ERROR_CODES) byStatus.set(ERROR_TABLE[code].httpStatus, [...(byStatus.get(ERROR_TABLE[code].httpStatus) ?? []), code]);
  const out: Record<string, Json> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[`Error${status}`] = {
      description: codes.map((code) => `${code}: ${ERROR_TABLE[code].message}`).join('; '),
      ...(codes.includes('OVER_FREQUENCY') && { headers: { 'Retry-After': { description: 'seconds until the window ends', schema: { type: 'integer' } } } }),
      content: json(ERROR_REF),
    };
  }
  return out;
}

function responses(schemas: JsonSchemas, route: Route, codes: ErrorCode[]): Json {
  const asHttp = route.style === 'rest-result' ? codes.filter((code) => GATE_CODES.has(code)) : codes;
  const out: Json = { '200': success(schemas, route, codes.filter((code) => !asHttp.includes(code))) };
  const statuses = [...new Set(asHttp.map((code) => ERROR_TABLE[code].httpStatus))].sort((a, b) => a - b);
  for (const status of statuses) out[String(status)] = { $ref: `#/components/responses/Error${status}` };
  return out;
}

function operation(schemas: JsonSchemas, route: Route): Json {
  const params = parameters(schemas, route);
  const codes = routeErrorCodes(route);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description !== undefined && { description: route.description }),
    ...(route.access === 'open' ? { security: [] } : {}),
    ...(route.access === 'admin' && { 'x-access': 'admin secret only' }),
    ...(params.length > 0 && { parameters: params }),
    ...(route.body !== undefined && { requestBody: { required: true, content: json(schemas.of(route.body, 'input')) } }),
    responses: responses(schemas, route, codes),
    'x-error-codes': codes,
  };
}

/** The OpenAPI 3.1 document of push-api, built from the route table and the error table. */
export function buildOpenApiDocument(routes: readonly Route[] = ROUTES): Json {
  const schemas = new JsonSchemas();
  errorComponents(schemas);
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    if (item[route.method] !== undefined) throw new Error(`two routes for ${route.method.toUpperCase()} ${route.path}`);
    item[route.method] = operation(schemas, route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'fscpush open API', version: '1.0.0', description: DESCRIPTION },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearer: [] }, { adminSecret: [] }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas.components).sort(([a], [b]) => a.localeCompare(b))),
      responses: errorResponses(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'the admin secret or an app key (fsk_…)' },
        adminSecret: { type: 'apiKey', in: 'header', name: 'x-admin-secret', description: 'the admin secret (older header)' },
      },
    },
    'x-error-codes': ERROR_CODES.map((code) => ({ code, ...ERROR_TABLE[code] })),
  };
}
