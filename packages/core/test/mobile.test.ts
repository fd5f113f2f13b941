import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FscError, maskedMobile, normalMobile, requireMobile } from '../src/index.ts';

test('mainland numbers in any written form become their 11 digits', () => {
  for (const written of ['13800000000', '+8613800000000', '008613800000000', '8613800000000', '013800000000', '138 0000 0000', '+86 138-0000-0000', ' 0086-138-0000-0000 ']) {
    assert.equal(normalMobile(written), '13800000000', written);
  }
});

test('other countries keep E.164, also when written with 00', () => {
  assert.equal(normalMobile('+49 151 1234 5678'), '+4915112345678');
  assert.equal(normalMobile('004915112345678'), '+4915112345678');
  assert.equal(normalMobile('+852 9123 4567'), '+85291234567');
});

test('what is not a mobile is refused', () => {
  for (const written of ['', '12ab', '1380000000', '138000000000', '23800000000', '+86 1380000000', '+0123456789', '+1234567890123456', '86138000000001', '1380000000x']) {
    assert.equal(normalMobile(written), undefined, written);
  }
  assert.throws(() => requireMobile(42), (err: FscError) => err.code === 'INVALID_MOBILE');
  assert.throws(() => requireMobile(`+86${'1'.repeat(40)}`), (err: FscError) => err.code === 'INVALID_MOBILE');
  assert.equal(requireMobile('+86 138 0000 0000'), '13800000000');
});

test('a masked mobile keeps the first three and last two digits', () => {
  assert.equal(maskedMobile('13812345678'), '138******78');
  assert.equal(maskedMobile('+4915112345678'), '+49*********78');
  assert.equal(maskedMobile('12345'), '*****');
});
