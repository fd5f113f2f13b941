import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appKeyId, appKeyMatches, hashAppKey, newAppKey } from '../src/auth/app-key-format.ts';

test('a new key carries its id, and only the key itself matches its hash', () => {
  const { keyId, key } = newAppKey();
  assert.match(keyId, /^[0-9a-f]{16}$/);
  assert.equal(appKeyId(key), keyId);
  const stored = hashAppKey(key);
  assert.match(stored, /^[0-9a-f]{64}$/);
  assert.equal(appKeyMatches(key, stored), true);
  assert.equal(appKeyMatches(`${key}x`, stored), false);
  assert.equal(appKeyMatches(newAppKey().key, stored), false);
  assert.equal(appKeyMatches(key, 'not hex'), false, 'a damaged stored hash matches nothing');
  assert.notEqual(newAppKey().key, key);
});

test('malformed keys have no id', () => {
  for (const bad of ['', 'fsk_', 'fsk_0123456789abcdef_short', 'fsk_0123456789ABCDEF_' + 'A'.repeat(43), 'xsk_0123456789abcdef_' + 'A'.repeat(43), ' fsk_0123456789abcdef_' + 'A'.repeat(43)]) {
    assert.equal(appKeyId(bad), undefined, bad);
  }
});
