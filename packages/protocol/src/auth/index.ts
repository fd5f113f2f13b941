export { AuthError } from './auth-error.ts';
export type { AuthErrorCode } from './auth-error.ts';
export { CLIENT_AES_KEY, decodeLoginToken, encodeLoginToken } from './login-token.ts';
export type { DecodedLoginToken, LoginSecrets } from './login-token.ts';
export { decryptConnectPassword, deriveConnectPassword } from './connect-password.ts';
export type { DeriveConnectPasswordOptions } from './connect-password.ts';
export { UserTokenCodec } from './user-token.ts';
export type { VerifiedUserToken } from './user-token.ts';
export { generateDbSecret, generateSessionSecret } from './secrets.ts';
