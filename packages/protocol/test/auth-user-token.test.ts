import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { AuthError, UserTokenCodec } from '../src/auth/index.ts';

const KEY = Buffer.alloc(32, 7);
const codec = new UserTokenCodec(KEY);

function isAuthError(code: string) {
  return (err: unknown) => err instanceof AuthError && err.code === code;
}

/** The documented layout, rebuilt by hand: version ‖ uidLen ‖ uid ‖ int64 BE ms ‖ HMAC-SHA256(context ‖ …)[0..16). */
function handMade(key: Buffer, version: number, uid: string, ms: bigint): Buffer {
  const uidBytes = Buffer.from(uid, 'utf8');
  const time = Buffer.alloc(8);
  time.writeBigInt64BE(ms);
  const body = Buffer.concat([Buffer.from([version, uidBytes.length]), uidBytes, time]);
  const tag = createHmac('sha256', key).update('fscpush user-token\0').update(body).digest().subarray(0, 16);
  return Buffer.concat([body, tag]);
}

const ISSUED = 1_715_000_000_000;

describe('UserTokenCodec', () => {
  it('issues the documented layout', () => {
    const blob = Buffer.from(codec.issue('alice', ISSUED), 'base64');
    assert.deepEqual(blob, handMade(KEY, 1, 'alice', BigInt(ISSUED)));
    assert.equal(blob.length, 1 + 1 + 5 + 8 + 16);
  });

  it('round-trips uid and issue time', () => {
    for (const uid of ['u', 'alice', '用户-42', 'x'.repeat(64)]) {
      const blob = Buffer.from(codec.issue(uid, ISSUED), 'base64');
      assert.deepEqual(codec.verify(blob), { uid, issuedAtMs: ISSUED });
    }
  });

  it('tells different uids apart', () => {
    const alice = Buffer.from(codec.issue('alice', ISSUED), 'base64');
    const bob = Buffer.from(codec.issue('bob', ISSUED), 'base64');
    assert.equal(codec.verify(alice).uid, 'alice');
    assert.equal(codec.verify(bob).uid, 'bob');
    const forged = Buffer.from(alice);
    forged.write('alicf', 2, 'utf8');
    assert.throws(() => codec.verify(forged), isAuthError('AUTH_BAD_TOKEN'));
  });

  it('accepts trailing zero bytes (web padding)', () => {
    const blob = Buffer.from(codec.issue('alice', ISSUED), 'base64');
    for (const pad of [1, 2, 3, 7]) {
      assert.equal(codec.verify(Buffer.concat([blob, Buffer.alloc(pad)])).uid, 'alice');
    }
  });

  it('rejects trailing non-zero bytes', () => {
    const blob = Buffer.from(codec.issue('alice', ISSUED), 'base64');
    assert.throws(() => codec.verify(Buffer.concat([blob, Buffer.from([0, 1])])), isAuthError('AUTH_BAD_TOKEN'));
  });

  it('rejects every single-byte tampering', () => {
    const blob = Buffer.from(codec.issue('alice', ISSUED), 'base64');
    for (let i = 0; i < blob.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const tampered = Buffer.from(blob);
        tampered[i] = (tampered[i] ?? 0) ^ flip;
        assert.throws(() => codec.verify(tampered), isAuthError('AUTH_BAD_TOKEN'), `byte ${i} ^ ${flip}`);
      }
    }
  });

  it('rejects every truncation', () => {
    const blob = Buffer.from(codec.issue('alice', ISSUED), 'base64');
    for (let n = 0; n < blob.length; n++) {
      assert.throws(() => codec.verify(blob.subarray(0, n)), isAuthError('AUTH_BAD_TOKEN'), `length ${n}`);
    }
  });

  it('rejects a correctly signed unknown version', () => {
    assert.doesNotThrow(() => codec.verify(handMade(KEY, 1, 'alice', 1n)));
    assert.throws(() => codec.verify(handMade(KEY, 2, 'alice', 1n)), isAuthError('AUTH_BAD_TOKEN'));
  });

  it('rejects a token signed with another key', () => {
    const other = new UserTokenCodec(Buffer.alloc(32, 8));
    const blob = Buffer.from(other.issue('alice', ISSUED), 'base64');
    assert.throws(() => codec.verify(blob), isAuthError('AUTH_BAD_TOKEN'));
    assert.throws(() => codec.verify(handMade(Buffer.alloc(32, 8), 1, 'alice', BigInt(ISSUED))), isAuthError('AUTH_BAD_TOKEN'));
  });

  it('is not affected by the caller mutating its key afterwards', () => {
    const key = Buffer.alloc(32, 9);
    const own = new UserTokenCodec(key);
    const blob = Buffer.from(own.issue('alice', ISSUED), 'base64');
    key.fill(0);
    assert.equal(own.verify(blob).uid, 'alice');
  });

  it('refuses bad keys, uids and times', () => {
    assert.throws(() => new UserTokenCodec(Buffer.alloc(31)), isAuthError('AUTH_BAD_SECRET'));
    assert.throws(() => new UserTokenCodec(Buffer.alloc(33)), isAuthError('AUTH_BAD_SECRET'));
    assert.throws(() => codec.issue(''), RangeError);
    assert.throws(() => codec.issue('x'.repeat(65)), RangeError);
    assert.throws(() => codec.issue('é'.repeat(33)), RangeError);
    assert.throws(() => codec.issue('\ud800'), RangeError);
    assert.throws(() => codec.issue('alice', -1), RangeError);
    assert.throws(() => codec.issue('alice', 1.5), RangeError);
  });
});
