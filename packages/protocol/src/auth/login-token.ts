import { decryptKeyAsIv, encryptKeyAsIv } from './aes-key-as-iv.ts';
import { AuthError } from './auth-error.ts';
import { decodeBase64, isBase64 } from './base64.ts';
import { HOUR_STAMP_BYTES, hourStamp } from './hour-stamp.ts';

const KEY = Buffer.from('ABEiM0RVZnd4eXp7fH1+fw==', 'base64');

/** Hard-coded in both FShareChat clients; a protocol constant, not a secret. Mutating this copy changes nothing. */
export const CLIENT_AES_KEY: Buffer = Buffer.from(KEY);

export interface LoginSecrets {
  userToken: string;
  sessionSecret: string;
  dbSecret: string;
}

export interface DecodedLoginToken extends LoginSecrets {
  hours: number;
}

const SESSION_SECRET = /^[\x21-\x7b\x7d\x7e]{16,}$/;
const DB_SECRET = /^[\x21-\x7b\x7d\x7e]*$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function encodeLoginToken(secrets: LoginSecrets, now: Date = new Date()): string {
  const { userToken, sessionSecret, dbSecret } = secrets;
  if (userToken.length === 0 || !isBase64(userToken)) {
    throw new AuthError('AUTH_BAD_TOKEN', 'userToken must be padded Base64');
  }
  // Clients split the token on '|' and build the CONNECT key from the secret's low char bytes.
  if (!SESSION_SECRET.test(sessionSecret)) {
    throw new AuthError('AUTH_BAD_SECRET', 'sessionSecret must be at least 16 printable ASCII chars without "|"');
  }
  if (!DB_SECRET.test(dbSecret)) {
    throw new AuthError('AUTH_BAD_SECRET', 'dbSecret must be printable ASCII without "|"');
  }
  const text = Buffer.from(`${userToken}|${sessionSecret}|${dbSecret}`, 'utf8');
  return encryptKeyAsIv(KEY, Buffer.concat([hourStamp(now), text])).toString('base64');
}

export function decodeLoginToken(token: string): DecodedLoginToken {
  const { hours, text } = openLoginToken(token);
  const parts = text.split('|');
  const [userToken, sessionSecret, dbSecret] = parts;
  if (parts.length !== 3 || userToken === undefined || sessionSecret === undefined || dbSecret === undefined) {
    throw new AuthError('AUTH_BAD_TOKEN', 'login token does not hold userToken|sessionSecret|dbSecret');
  }
  return { userToken, sessionSecret, dbSecret, hours };
}

/** Decrypts a /login token into its hour stamp and text, without interpreting the text. */
export function openLoginToken(token: string): { hours: number; text: string } {
  const ciphertext = typeof token === 'string' ? decodeBase64(token) : undefined;
  const plain = ciphertext && decryptKeyAsIv(KEY, ciphertext);
  if (!plain || plain.length < HOUR_STAMP_BYTES) {
    throw new AuthError('AUTH_BAD_TOKEN', 'login token does not decrypt');
  }
  try {
    return { hours: plain.readUInt32BE(0), text: UTF8.decode(plain.subarray(HOUR_STAMP_BYTES)) };
  } catch {
    throw new AuthError('AUTH_BAD_TOKEN', 'login token is not UTF-8');
  }
}
