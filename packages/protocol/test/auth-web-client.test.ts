import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import CryptoJS from 'crypto-js';
import {
  CLIENT_AES_KEY,
  UserTokenCodec,
  decodeLoginToken,
  decryptConnectPassword,
  deriveConnectPassword,
  encodeLoginToken,
  generateDbSecret,
  generateSessionSecret,
} from '../src/auth/index.ts';

type WordArray = CryptoJS.lib.WordArray;

// --- A re-implementation of vue-chat's src/websocket/utils/aes.js (crypto-js 3.1.9 semantics) ---

const webIv = CryptoJS.enc.Base64.parse('ABEiM0RVZnd4eXp7fH1+fw==');
const cbcPkcs7 = { mode: CryptoJS.mode.CBC, padding: CryptoJS.pad.Pkcs7 };
// What the web client's getMilliseconds()-based "hour" computation always produces.
const WEB_TIME_WORD = 0x6994f900;

function wordToByteArray(words: number[]): number[] {
  // Like the client's helper: every word yields 4 bytes, sigBytes is ignored.
  return words.flatMap((w) => [(w >>> 24) & 0xff, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff]);
}

function byteArrayToWordArray(bytes: number[]): WordArray {
  const words: number[] = [];
  bytes.forEach((b, i) => {
    words[i >>> 2] = (words[i >>> 2] ?? 0) | (b << (24 - (i % 4) * 8));
  });
  return CryptoJS.lib.WordArray.create(words, bytes.length);
}

const webClient = {
  decrypt(t: string): string {
    const d = CryptoJS.AES.decrypt(t, webIv, { iv: webIv, ...cbcPkcs7 });
    return CryptoJS.enc.Hex.parse(d.toString().slice(8)).toString(CryptoJS.enc.Utf8);
  },
  encrypt(pwd: string, secret: string): string {
    let keyText = '';
    for (let i = 0; i < 16; i++) keyText += String.fromCharCode(secret.charCodeAt(i) & 0xff);
    const key = CryptoJS.enc.Utf8.parse(keyText);
    const bytes = [...wordToByteArray([WEB_TIME_WORD]), ...wordToByteArray(CryptoJS.enc.Base64.parse(pwd).words)];
    return CryptoJS.AES.encrypt(byteArrayToWordArray(bytes), key, { iv: key, ...cbcPkcs7 }).toString();
  },
  connectPassword(token: string): string {
    const parts = webClient.decrypt(token).split('|');
    const pwd = parts[0] ?? '';
    const secret = parts.length >= 3 ? (parts[1] ?? '') : '';
    return webClient.encrypt(pwd, secret);
  },
};

function cryptoJsLoginToken(hourHex: string, text: string): string {
  const plain = CryptoJS.enc.Hex.parse(hourHex).concat(CryptoJS.enc.Utf8.parse(text));
  return CryptoJS.AES.encrypt(plain, webIv, { iv: webIv, ...cbcPkcs7 }).toString();
}

const codec = new UserTokenCodec(Buffer.alloc(32, 7));

function loginFor(uid: string) {
  const userToken = codec.issue(uid);
  const sessionSecret = generateSessionSecret();
  const dbSecret = generateDbSecret();
  return { userToken, sessionSecret, dbSecret, token: encodeLoginToken({ userToken, sessionSecret, dbSecret }) };
}

// uid lengths 1..8 cover every userToken length modulo 4, i.e. every amount of web zero padding.
const UIDS = ['a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', '用户a'];

describe('web client (crypto-js) interoperability', () => {
  it('uses the key both clients hard-code', () => {
    assert.equal(CLIENT_AES_KEY.toString('hex'), '00112233445566777879' + '7a7b7c7d7e7f');
    assert.equal(CLIENT_AES_KEY.toString('hex'), webIv.toString(CryptoJS.enc.Hex));
  });

  it('web decrypt of our /login token yields userToken|secret|dbSecret', () => {
    for (const uid of UIDS) {
      const { userToken, sessionSecret, dbSecret, token } = loginFor(uid);
      assert.equal(webClient.decrypt(token), `${userToken}|${sessionSecret}|${dbSecret}`);
    }
  });

  it('web encrypt output passes decryptConnectPassword and UserTokenCodec.verify', () => {
    const paddings = new Set<number>();
    for (const uid of UIDS) {
      const { sessionSecret, token, userToken } = loginFor(uid);
      const password = webClient.connectPassword(token);
      const bytes = decryptConnectPassword(password, sessionSecret);
      assert.equal(bytes.length % 4, 0);
      paddings.add(bytes.length - Buffer.from(userToken, 'base64').length);
      assert.equal(codec.verify(bytes).uid, uid);
    }
    assert.deepEqual([...paddings].sort(), [0, 1, 2, 3]);
  });

  it('deriveConnectPassword with webQuirks equals crypto-js byte for byte', () => {
    for (const uid of UIDS) {
      const { token } = loginFor(uid);
      assert.equal(deriveConnectPassword(token, { webQuirks: true }), webClient.connectPassword(token));
    }
  });

  it('reproduces the zero key when the secret is short or missing', () => {
    const pwd = codec.issue('alice');
    for (const text of [`${pwd}|short|db`, `${pwd}|no-second-bar`, pwd]) {
      const token = cryptoJsLoginToken('0000d93f', text);
      assert.equal(deriveConnectPassword(token, { webQuirks: true }), webClient.connectPassword(token));
    }
  });

  it('the Android-like default carries an hour stamp and no padding', () => {
    const { sessionSecret, token, userToken } = loginFor('abcde');
    const now = new Date('2024-05-06T07:08:09Z');
    const password = deriveConnectPassword(token, { now });
    const key = CryptoJS.enc.Latin1.parse(sessionSecret.slice(0, 16));
    const plain = CryptoJS.AES.decrypt(password, key, { iv: key, ...cbcPkcs7 }).toString(CryptoJS.enc.Hex);
    assert.equal(plain, '0000d93f' + Buffer.from(userToken, 'base64').toString('hex'));
    assert.deepEqual(decryptConnectPassword(password, sessionSecret), Buffer.from(userToken, 'base64'));
  });
});

describe('login token fixed vector', () => {
  const now = new Date('2024-05-06T07:08:09Z');
  // 2018-01-01 → 2024-05-06 is 2317 days; 2317 × 24 + 7 = 55615 = 0x0000d93f (low byte ≠ 0: Java's bug would zero it).
  const hours = 55615;
  const secrets = {
    userToken: 'AQVhbGljZQAAAY9MyC0ZgDr3xmQlIDxhm1BCAzkXuw==',
    sessionSecret: '6f1c2a4e-93b7-4d0a-8e55-2b7c9d3f1a60',
    dbSecret: 'c0ffee00-1234-4abc-9def-0123456789ab',
  };
  const text = `${secrets.userToken}|${secrets.sessionSecret}|${secrets.dbSecret}`;
  // Also reproduced with: openssl enc -aes-128-cbc -K <key hex> -iv <key hex> | base64
  const GOLDEN =
    '/+hxBOYyCoaOQTUrl96lrJfYKcNFjZzwipj9P1HzwJLlGquhFxphAbQcm3uPbNdEON2fD6gHolBNtNiqz8zgX+ZfTGTxLR3yv2YXZfcBVmL9gHDTRyV3mL9IY/5qpavkQH25XpLMwkUg9jIX606u0FUUJc9KQ+89T4+BcZAyhG8=';

  it('matches crypto-js and the pinned Base64', () => {
    const token = encodeLoginToken(secrets, now);
    assert.equal(token, cryptoJsLoginToken(hours.toString(16).padStart(8, '0'), text));
    assert.equal(token, GOLDEN);
  });

  it('decodes back with the hour stamp', () => {
    assert.deepEqual(decodeLoginToken(GOLDEN), { ...secrets, hours });
  });

  it('writes all four hour bytes', () => {
    const far = new Date('3950-06-01T13:00:00Z');
    const expected = Math.floor((far.getTime() - Date.UTC(2018, 0, 1)) / 3_600_000);
    assert.ok(expected > 0xffffff && (expected & 0xff) !== 0);
    const token = encodeLoginToken(secrets, far);
    const plainHex = CryptoJS.AES.decrypt(token, webIv, { iv: webIv, ...cbcPkcs7 }).toString(CryptoJS.enc.Hex);
    assert.equal(plainHex.slice(0, 8), expected.toString(16).padStart(8, '0'));
    assert.equal(decodeLoginToken(token).hours, expected);
  });

  it('rejects dates the stamp cannot hold', () => {
    assert.throws(() => encodeLoginToken(secrets, new Date('2017-12-31T23:59:59Z')), RangeError);
    assert.throws(() => encodeLoginToken(secrets, new Date(Number.NaN)), RangeError);
  });

  it('is deterministic only in its inputs', () => {
    const other = { ...secrets, dbSecret: randomBytes(8).toString('hex') };
    assert.notEqual(encodeLoginToken(other, now), GOLDEN);
  });
});
