import { ERROR_TABLE, type ErrorCode } from '@fscpush/core';
import type { Route } from '../routes/route.ts';

/** What any route that reaches push-group can answer when the service side fails. */
const SERVICE_FAILURES: readonly ErrorCode[] = ['SERVER_ERROR', 'RPC_TIMEOUT', 'RPC_NO_PROVIDER', 'SHUTTING_DOWN'];

/**
 * Every code a route can answer: its own, plus those of its access level (credentials, rate limit, admin
 * only), INVALID_DATA when it takes input, and service failures. The OpenAPI document lists them per status.
 */
export function routeErrorCodes(route: Route): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors);
  if (route.params !== undefined || route.query !== undefined || route.body !== undefined) codes.add('INVALID_DATA');
  if (route.access !== 'open') {
    codes.add('UNAUTHENTICATED');
    codes.add('OVER_FREQUENCY');
    for (const code of SERVICE_FAILURES) codes.add(code);
  } else {
    codes.add('SERVER_ERROR');
  }
  if (route.access === 'admin') codes.add('NO_RIGHT');
  return [...codes].sort((a, b) => ERROR_TABLE[a].httpStatus - ERROR_TABLE[b].httpStatus || a.localeCompare(b));
}

/** Codes that reach the caller as HTTP errors even on RestResult routes: the gate runs before the route. */
export const GATE_CODES: ReadonlySet<ErrorCode> = new Set(['UNAUTHENTICATED', 'OVER_FREQUENCY', 'NO_RIGHT']);

/** Answered for a path no route serves (after authentication). */
export const UNKNOWN_PATH_CODE: ErrorCode = 'NOT_EXIST';
