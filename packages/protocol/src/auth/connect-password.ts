import { decryptKeyAsIv, encryptKeyAsIv } from './aes-key-as-iv.ts';
import { AuthError } from './auth-error.ts';
import { decodeBase64 } from './base64.ts';
import { HOUR_STAMP_BYTES, hourStamp } from './hour-stamp.ts';
import { openLoginToken } from './login-token.ts';

const KEY_BYTES = 16;
const MAX_PASSWORD_CHARS = 1024;
// The web client derives its "hour" from getMilliseconds(), which always yields these bytes.
const WEB_PREFIX = Buffer.from([0x69, 0x94, 0xf9, 0x00]);

export interface DeriveConnectPasswordOptions {
  /** Reproduce the web client byte-for-byte: fixed garbage prefix, pwd zero-padded to a multiple of 4. */
  webQuirks?: boolean;
  /** Hour-stamp time for the Android-like default. */
  now?: Date;
}

/** What a client does with the /login token to build the CONNECT password (for test clients). */
export function deriveConnectPassword(token: string, opts: DeriveConnectPasswordOptions = {}): string {
  const { text } = openLoginToken(token);
  const first = text.indexOf('|');
  const second = first < 0 ? -1 : text.indexOf('|', first + 1);
  const pwd = first < 0 ? text : text.slice(0, first);
  const secret = second < 0 ? '' : text.slice(first + 1, second);

  const pwdBytes = decodeBase64(pwd);
  if (!pwdBytes) throw new AuthError('AUTH_BAD_TOKEN', 'userToken in login token is not Base64');
  const key = secretKey(secret);
  if (opts.webQuirks && key.some((byte) => byte >= 0x80)) {
    // crypto-js Utf8.parse would turn such a char into 2 bytes and yield a non-AES-128 key.
    throw new AuthError('AUTH_BAD_SECRET', 'the web client cannot use a non-ASCII session secret');
  }
  const plaintext = opts.webQuirks
    ? Buffer.concat([WEB_PREFIX, pwdBytes, Buffer.alloc((4 - (pwdBytes.length % 4)) % 4)])
    : Buffer.concat([hourStamp(opts.now ?? new Date()), pwdBytes]);
  return encryptKeyAsIv(key, plaintext).toString('base64');
}

/**
 * Server side of CONNECT: returns the userToken bytes, possibly followed by zero padding (web client).
 * The 4-byte time prefix is skipped, not checked: the web client's prefix is constant garbage.
 */
export function decryptConnectPassword(password: string, sessionSecret: string): Buffer {
  if (typeof sessionSecret !== 'string' || sessionSecret.length < KEY_BYTES) {
    throw new AuthError('AUTH_BAD_SECRET', 'session secret is shorter than 16 chars');
  }
  const ciphertext =
    typeof password === 'string' && password.length <= MAX_PASSWORD_CHARS ? decodeBase64(password) : undefined;
  const plain = ciphertext && decryptKeyAsIv(secretKey(sessionSecret), ciphertext);
  if (!plain || plain.length < HOUR_STAMP_BYTES) {
    throw new AuthError('AUTH_BAD_PASSWORD', 'password does not decrypt with the session secret');
  }
  return plain.subarray(HOUR_STAMP_BYTES);
}

/** Clients' key: `charCodeAt(i) & 0xFF` of the first 16 chars; missing chars give 0 (JS: NaN & 0xFF). */
function secretKey(secret: string): Buffer {
  const key = Buffer.alloc(KEY_BYTES);
  for (let i = 0; i < KEY_BYTES && i < secret.length; i++) key[i] = secret.charCodeAt(i) & 0xff;
  return key;
}
