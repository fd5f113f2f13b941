/**
 * Every error fscpush raises on purpose is an FscError with a stable code from ERROR_TABLE.
 * `protocolCode` is the byte a PUB_ACK carries (FShareChat's ErrorCode), `httpStatus` what an HTTP API answers.
 * Codes cross RPC boundaries by name (toWire/fromWire), so both sides agree on meaning.
 */
export const ERROR_TABLE = {
  INVALID_DATA: { protocolCode: 2, httpStatus: 400, retriable: false, message: 'invalid data' },
  SERVER_ERROR: { protocolCode: 4, httpStatus: 500, retriable: true, message: 'server error' },
  NOT_IN_GROUP: { protocolCode: 9, httpStatus: 403, retriable: false, message: 'not in group' },
  BLACKLISTED: { protocolCode: 246, httpStatus: 403, retriable: false, message: 'blocked by the receiver' },
  FORBIDDEN_SEND: { protocolCode: 247, httpStatus: 403, retriable: false, message: 'sending is forbidden' },
  NO_RIGHT: { protocolCode: 248, httpStatus: 403, retriable: false, message: 'no right' },
  OVER_FREQUENCY: { protocolCode: 250, httpStatus: 429, retriable: true, message: 'too frequent' },
  NOT_EXIST: { protocolCode: 253, httpStatus: 404, retriable: false, message: 'not exist' },
  NOT_IMPLEMENTED: { protocolCode: 254, httpStatus: 501, retriable: false, message: 'not implemented' },
  UNAUTHENTICATED: { protocolCode: 248, httpStatus: 401, retriable: false, message: 'authentication required' },
  INVALID_MOBILE: { protocolCode: 2, httpStatus: 400, retriable: false, message: 'invalid mobile number' },
  CODE_TOO_FREQUENT: { protocolCode: 250, httpStatus: 429, retriable: true, message: 'verification code requested too often' },
  CODE_EXPIRED: { protocolCode: 2, httpStatus: 400, retriable: false, message: 'verification code expired' },
  CODE_WRONG: { protocolCode: 2, httpStatus: 400, retriable: false, message: 'verification code wrong' },
  SMS_UNAVAILABLE: { protocolCode: 4, httpStatus: 503, retriable: true, message: 'the verification code could not be sent, try again later' },
  SMS_THROTTLED: { protocolCode: 250, httpStatus: 429, retriable: true, message: 'too many verification codes for this mobile, try again later' },
  RPC_TIMEOUT: { protocolCode: 4, httpStatus: 504, retriable: true, message: 'remote call timed out' },
  RPC_NO_PROVIDER: { protocolCode: 4, httpStatus: 503, retriable: true, message: 'no provider for service' },
  SHUTTING_DOWN: { protocolCode: 4, httpStatus: 503, retriable: true, message: 'server is shutting down' },
  REGISTRY_UNAVAILABLE: { protocolCode: 4, httpStatus: 503, retriable: true, message: 'service registry unavailable' },
  BUS_UNAVAILABLE: { protocolCode: 4, httpStatus: 503, retriable: true, message: 'message bus unavailable' },
  GRID_UNAVAILABLE: { protocolCode: 4, httpStatus: 503, retriable: true, message: 'shared grid unavailable' },
  STORE_UNAVAILABLE: { protocolCode: 4, httpStatus: 503, retriable: true, message: 'database unavailable' },
  NODE_ID_CONFLICT: { protocolCode: 4, httpStatus: 500, retriable: false, message: 'node id held by another live instance' },
  NODE_ID_EXHAUSTED: { protocolCode: 4, httpStatus: 500, retriable: false, message: 'no free node id' },
  STORE_CLAIMED: { protocolCode: 4, httpStatus: 500, retriable: false, message: 'data store held by another instance' },
  CONFIG_INVALID: { protocolCode: 4, httpStatus: 500, retriable: false, message: 'invalid configuration' },
} as const;

export type ErrorCode = keyof typeof ERROR_TABLE;

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class FscError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message ?? ERROR_TABLE[code].message, options);
    this.name = 'FscError';
    this.code = code;
    this.details = details;
  }

  get protocolCode(): number {
    return ERROR_TABLE[this.code].protocolCode;
  }

  get httpStatus(): number {
    return ERROR_TABLE[this.code].httpStatus;
  }

  get retriable(): boolean {
    return ERROR_TABLE[this.code].retriable;
  }

  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** An error from another process: a code this build does not know becomes SERVER_ERROR. */
  static fromWire(wire: { code: string; message: string; details?: Record<string, unknown> }): FscError {
    const code = isErrorCode(wire.code) ? wire.code : 'SERVER_ERROR';
    return new FscError(code, wire.message, wire.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_TABLE, value);
}

/** Wraps anything thrown into an FscError; unknown failures become SERVER_ERROR and keep the cause for logs only. */
export function asFscError(err: unknown): FscError {
  if (err instanceof FscError) return err;
  return new FscError('SERVER_ERROR', undefined, undefined, { cause: err });
}
