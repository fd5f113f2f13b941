import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  AuthError,
  CLIENT_AES_KEY,
  UserTokenCodec,
  decodeLoginToken,
  decryptConnectPassword,
  deriveConnectPassword,
  encodeLoginToken,
  generateDbSecret,
  generateSessionSecret,
} from '../src/auth/index.ts';

const codec = new UserTokenCodec(Buffer.alloc(32, 3));

function isAuthError(...codes: string[]) {
  return (err: unknown) => err instanceof AuthError && codes.includes(err.code);
}

/** The whole server-side CONNECT check: decrypt with the session secret, then verify the userToken. */
function serverCheck(password: string, sessionSecret: string, verifier = codec): string {
  return verifier.verify(decryptConnectPassword(password, sessionSecret)).uid;
}

function login(uid: string, verifier = codec) {
  const sessionSecret = generateSessionSecret();
  const token = encodeLoginToken({ userToken: verifier.issue(uid), sessionSecret, dbSecret: generateDbSecret() });
  return { sessionSecret, token };
}

describe('CONNECT password rejection', () => {
  it('accepts both client variants with the right secret', () => {
    const { sessionSecret, token } = login('alice');
    assert.equal(serverCheck(deriveConnectPassword(token), sessionSecret), 'alice');
    assert.equal(serverCheck(deriveConnectPassword(token, { webQuirks: true }), sessionSecret), 'alice');
  });

  it('rejects a password made with another session secret', () => {
    const { sessionSecret, token } = login('alice');
    for (const webQuirks of [false, true]) {
      const password = deriveConnectPassword(token, { webQuirks });
      for (let i = 0; i < 200; i++) {
        const wrong = generateSessionSecret();
        assert.notEqual(wrong, sessionSecret);
        assert.throws(() => serverCheck(password, wrong), isAuthError('AUTH_BAD_PASSWORD', 'AUTH_BAD_TOKEN'));
      }
    }
  });

  it('a secret differing only after 16 chars is the same key (client behaviour)', () => {
    const { sessionSecret, token } = login('alice');
    const sameKey = sessionSecret.slice(0, 16) + 'x'.repeat(20);
    assert.equal(serverCheck(deriveConnectPassword(token), sameKey), 'alice');
  });

  it('rejects a userToken issued under another server key', () => {
    const foreign = new UserTokenCodec(Buffer.alloc(32, 4));
    const { sessionSecret, token } = login('alice', foreign);
    assert.equal(serverCheck(deriveConnectPassword(token), sessionSecret, foreign), 'alice');
    assert.throws(() => serverCheck(deriveConnectPassword(token), sessionSecret), isAuthError('AUTH_BAD_TOKEN'));
  });

  it('reports which user a valid password belongs to', () => {
    const a = login('alice');
    const b = login('bob');
    assert.equal(serverCheck(deriveConnectPassword(b.token), b.sessionSecret), 'bob');
    assert.notEqual(serverCheck(deriveConnectPassword(b.token), b.sessionSecret), 'alice');
    assert.throws(() => serverCheck(deriveConnectPassword(b.token), a.sessionSecret), isAuthError('AUTH_BAD_PASSWORD', 'AUTH_BAD_TOKEN'));
  });

  it('rejects a short session secret', () => {
    const { token } = login('alice');
    const password = deriveConnectPassword(token);
    assert.throws(() => decryptConnectPassword(password, 'fifteen-chars!!'), isAuthError('AUTH_BAD_SECRET'));
    assert.throws(() => decryptConnectPassword(password, ''), isAuthError('AUTH_BAD_SECRET'));
  });

  it('rejects garbage without leaking crypto error text', () => {
    const secret = generateSessionSecret();
    const garbage = [
      '',
      'not base64!',
      'QUJD',
      randomBytes(15).toString('base64'),
      randomBytes(32).toString('base64').slice(0, -2),
      'A'.repeat(2048),
      // random ciphertexts: mostly bad padding; the rare valid padding must then fail verify
      ...Array.from({ length: 20 }, () => randomBytes(48).toString('base64')),
    ];
    for (const password of garbage) {
      assert.throws(
        () => serverCheck(password, secret),
        (err: unknown) =>
          err instanceof AuthError &&
          (err.code === 'AUTH_BAD_PASSWORD' || err.code === 'AUTH_BAD_TOKEN') &&
          err.cause === undefined &&
          !/bad decrypt|digital envelope|final block|ERR_OSSL/i.test(err.message),
      );
    }
    assert.throws(() => decryptConnectPassword(123 as unknown as string, secret), isAuthError('AUTH_BAD_PASSWORD'));
  });

  it('tolerates Android-style line-wrapped Base64', () => {
    const { sessionSecret, token } = login('a-fairly-long-user-id-0123456789');
    const password = deriveConnectPassword(token);
    assert.ok(password.length > 76);
    const wrapped = password.replace(/.{76}/g, '$&\n') + '\n';
    assert.equal(serverCheck(wrapped, sessionSecret), 'a-fairly-long-user-id-0123456789');
  });
});

describe('login token rejection', () => {
  const secrets = { userToken: codec.issue('alice'), sessionSecret: generateSessionSecret(), dbSecret: 'db' };

  it('round-trips', () => {
    const decoded = decodeLoginToken(encodeLoginToken(secrets));
    assert.equal(decoded.userToken, secrets.userToken);
    assert.equal(decoded.sessionSecret, secrets.sessionSecret);
    assert.equal(decoded.dbSecret, 'db');
  });

  it('rejects garbage and tampering', () => {
    const token = encodeLoginToken(secrets);
    const raw = Buffer.from(token, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 0xff;
    for (const bad of ['', '%%%', 'QUJD', randomBytes(64).toString('base64'), raw.toString('base64')]) {
      assert.throws(() => decodeLoginToken(bad), isAuthError('AUTH_BAD_TOKEN'));
      assert.throws(() => deriveConnectPassword(bad), isAuthError('AUTH_BAD_TOKEN'));
    }
  });

  it('rejects a token encrypted under another key', () => {
    const key = Buffer.from(CLIENT_AES_KEY);
    key[0] = (key[0] ?? 0) ^ 1;
    const plain = Buffer.concat([Buffer.alloc(4), Buffer.from(`${secrets.userToken}|${secrets.sessionSecret}|db`)]);
    for (let i = 0; i < 20; i++) {
      const cipher = createCipheriv('aes-128-cbc', key, key);
      const fake = Buffer.concat([cipher.update(Buffer.concat([randomBytes(16), plain])), cipher.final()]);
      assert.throws(() => decodeLoginToken(fake.toString('base64')), isAuthError('AUTH_BAD_TOKEN'));
    }
  });

  it('refuses to build tokens the clients would mis-split', () => {
    const bad = [
      { ...secrets, userToken: 'not|base64' },
      { ...secrets, userToken: '' },
      { ...secrets, sessionSecret: 'short' },
      { ...secrets, sessionSecret: 'has|a|bar-0123456789' },
      { ...secrets, sessionSecret: 'non-ascii-é-0123456789' },
      { ...secrets, dbSecret: 'x|y' },
    ];
    for (const input of bad) assert.throws(() => encodeLoginToken(input), AuthError);
  });

  it('is unaffected by mutation of the exported key', () => {
    const before = encodeLoginToken(secrets, new Date('2024-01-01T00:00:00Z'));
    CLIENT_AES_KEY.fill(0);
    try {
      assert.equal(encodeLoginToken(secrets, new Date('2024-01-01T00:00:00Z')), before);
    } finally {
      Buffer.from('ABEiM0RVZnd4eXp7fH1+fw==', 'base64').copy(CLIENT_AES_KEY);
    }
  });
});

describe('generated secrets', () => {
  it('are 36-char ASCII UUIDs usable as CONNECT keys', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      for (const s of [generateSessionSecret(), generateDbSecret()]) {
        assert.match(s, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        seen.add(s);
      }
    }
    assert.equal(seen.size, 200);
  });
});
