import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthError } from './auth-error.ts';

// Layout: version(1) ‖ uidLength(1) ‖ uid UTF-8 ‖ issuedAtMs int64 BE ‖ HMAC-SHA256(context ‖ all before)[0..16).
// HMAC rather than AES-GCM: the uid is public (/login returns it next to the token), so only integrity
// matters; HMAC needs no nonce, is deterministic and keeps the token short. 128-bit tags resist forgery.
const VERSION = 1;
const KEY_BYTES = 32;
const MAX_UID_BYTES = 64;
const TIME_BYTES = 8;
const TAG_BYTES = 16;
const MAC_CONTEXT = Buffer.from('fscpush user-token\0', 'ascii');

export interface VerifiedUserToken {
  uid: string;
  issuedAtMs: number;
}

/** Signs and checks the userToken that replaces FShareChat's DES "testim|ms|uid". */
export class UserTokenCodec {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new AuthError('AUTH_BAD_SECRET', `user-token key must be ${KEY_BYTES} bytes`);
    }
    this.#key = Buffer.from(key);
  }

  /** Base64 of the signed blob; this is the `userToken` inside the /login token. */
  issue(uid: string, issuedAtMs: number = Date.now()): string {
    const uidBytes = Buffer.from(uid, 'utf8');
    if (!uid.isWellFormed() || uidBytes.length === 0 || uidBytes.length > MAX_UID_BYTES) {
      throw new RangeError(`uid must be 1..${MAX_UID_BYTES} bytes of well-formed UTF-8`);
    }
    if (!Number.isSafeInteger(issuedAtMs) || issuedAtMs < 0) {
      throw new RangeError('issuedAtMs must be a non-negative safe integer');
    }
    const body = Buffer.alloc(2 + uidBytes.length + TIME_BYTES);
    body[0] = VERSION;
    body[1] = uidBytes.length;
    uidBytes.copy(body, 2);
    body.writeBigInt64BE(BigInt(issuedAtMs), 2 + uidBytes.length);
    return Buffer.concat([body, this.#tag(body)]).toString('base64');
  }

  /** Accepts the raw blob followed by any number of zero bytes (the web client pads to 4). */
  verify(bytes: Buffer): VerifiedUserToken {
    if (bytes.length < 2 || bytes[0] !== VERSION) throw badToken('unknown user-token version');
    const uidLength = bytes.readUInt8(1);
    const bodyEnd = 2 + uidLength + TIME_BYTES;
    const end = bodyEnd + TAG_BYTES;
    if (uidLength === 0 || uidLength > MAX_UID_BYTES || bytes.length < end) {
      throw badToken('user-token is truncated or malformed');
    }
    const body = bytes.subarray(0, bodyEnd);
    if (!timingSafeEqual(this.#tag(body), bytes.subarray(bodyEnd, end))) {
      throw badToken('user-token signature mismatch');
    }
    if (!bytes.subarray(end).every((byte) => byte === 0)) throw badToken('user-token has trailing data');
    return {
      uid: body.toString('utf8', 2, 2 + uidLength),
      issuedAtMs: Number(body.readBigInt64BE(2 + uidLength)),
    };
  }

  #tag(body: Buffer): Buffer {
    return createHmac('sha256', this.#key).update(MAC_CONTEXT).update(body).digest().subarray(0, TAG_BYTES);
  }
}

function badToken(message: string): AuthError {
  return new AuthError('AUTH_BAD_TOKEN', message);
}
