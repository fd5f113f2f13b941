import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonLossless, stringifyJson } from '../src/index.ts';

test('stringifyJson writes bigints anywhere in the value as decimal strings', () => {
  assert.equal(stringifyJson({ a: [1, { b: 9223372036854775807n }], c: 'x' }), '{"a":[1,{"b":"9223372036854775807"}],"c":"x"}');
  assert.equal(stringifyJson(5n), '"5"');
});

test('stringifyJson without bigints is JSON.stringify', () => {
  const value = { s: 'quote " slash \\ 你好 😀', n: 1.5, t: true, z: null, list: [1, 'two'], skip: undefined };
  assert.equal(stringifyJson(value), JSON.stringify(value));
});

test('stringifyJson still refuses what JSON cannot hold', () => {
  const circular: Record<string, unknown> = {};
  circular['self'] = circular;
  assert.throws(() => stringifyJson(circular), TypeError);
});

test('parseJsonLossless keeps integers beyond 2^53 exact', () => {
  assert.deepEqual(parseJsonLossless('{"id":9223372036854775807,"n":7}'), { id: '9223372036854775807', n: 7 });
});
