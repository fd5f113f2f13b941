export type AuthErrorCode = 'AUTH_BAD_TOKEN' | 'AUTH_BAD_PASSWORD' | 'AUTH_BAD_SECRET';

export class AuthError extends Error {
  readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
  }
}
