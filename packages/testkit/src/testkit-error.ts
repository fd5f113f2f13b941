export const TESTKIT_ERROR_CODES = {
  TIMEOUT: 'no answer in time',
  CLOSED: 'connection closed',
  NOT_CONNECTED: 'no open connection',
  BAD_RESPONSE: 'server answer has the wrong shape',
} as const;

export type TestkitErrorCode = keyof typeof TESTKIT_ERROR_CODES;

export class TestkitError extends Error {
  readonly code: TestkitErrorCode;

  constructor(code: TestkitErrorCode, message?: string, options?: ErrorOptions) {
    super(message ?? TESTKIT_ERROR_CODES[code], options);
    this.name = 'TestkitError';
    this.code = code;
  }
}
