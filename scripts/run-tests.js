#!/usr/bin/env node
// Test tiers for Node's built-in runner:
//   unit — fast, in-process, no engines;  e2e — whole servers over real sockets;  all — both.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const E2E = 'packages/*/test/**/*.e2e.test.ts';
const ALL = 'packages/*/test/**/*.test.ts';

const tiers = {
  unit: () => without(globSync(ALL), globSync(E2E)),
  e2e: () => globSync(E2E),
  all: () => globSync(ALL),
};

const tier = process.argv[2] ?? 'all';
if (!(tier in tiers)) {
  console.error(`unknown test tier "${tier}"; use one of: ${Object.keys(tiers).join(', ')}`);
  process.exit(2);
}
const files = tiers[tier]().sort();
if (files.length === 0) {
  console.error(`no test files for tier "${tier}"`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--disable-warning=ExperimentalWarning', '--test', '--test-timeout=180000', ...process.argv.slice(3), ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

function without(list, excluded) {
  const skip = new Set(excluded);
  return list.filter((f) => !skip.has(f));
}
