import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadConfig } from '@fscpush/core';
import { renderConfigTemplate } from '../src/config-template.ts';

const TEMPLATE = new URL('../../../config/application.properties', import.meta.url);

test('config/application.properties lists every key (regenerate: node scripts/config-template.ts)', () => {
  assert.equal(readFileSync(TEMPLATE, 'utf8'), renderConfigTemplate());
});

test('the shipped template loads without errors', () => {
  const { values } = loadConfig({ file: TEMPLATE.pathname, env: {} });
  assert.equal(values['push.tcp.port'], 6789);
  assert.equal(values['sms.superCode'], '', 'no master code unless configured');
});
