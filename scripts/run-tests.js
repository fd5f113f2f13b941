#!/usr/bin/env node
// Test tiers for Node's built-in runner:
//   unit    — fast, in-process, no engines
//   e2e     — whole embedded servers over real sockets
//   cluster — real engines (ZooKeeper, Kafka, Hazelcast, MariaDB, MinIO) started by scripts/devstack
//   all     — everything (npm test)
// The cluster tier brings the dev stack up itself and stops what it started.
import { execFileSync, spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const ALL = 'packages/*/test/**/*.test.ts';
const E2E = 'packages/*/test/**/*.e2e.test.ts';
const CLUSTER = 'packages/*/test/**/*.cluster.test.ts';

const tiers = {
  unit: () => without(globSync(ALL), [...globSync(E2E), ...globSync(CLUSTER)]),
  e2e: () => globSync(E2E),
  cluster: () => globSync(CLUSTER),
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

const needsEngines = files.some((f) => f.endsWith('.cluster.test.ts'));
const started = needsEngines ? devstackUp() : [];
let status = 1;
try {
  const env = needsEngines ? { ...process.env, ...devstackEnv() } : process.env;
  const result = spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--test', '--test-timeout=300000', ...process.argv.slice(3), ...files],
    { stdio: 'inherit', env },
  );
  status = result.status ?? 1;
} finally {
  if (started.length > 0) spawnSync('scripts/devstack', ['down', ...started], { stdio: 'inherit' });
}
process.exit(status);

function without(list, excluded) {
  const skip = new Set(excluded);
  return list.filter((f) => !skip.has(f));
}

/** Starts the engines that are not running; returns their names so only those are stopped afterwards. */
function devstackUp() {
  const services = ['zookeeper', 'kafka', 'hazelcast', 'mariadb', 'minio'];
  const stopped = services.filter((svc) => spawnSync('scripts/devstack', ['status', svc], { stdio: 'ignore' }).status !== 0);
  if (stopped.length > 0) {
    const up = spawnSync('scripts/devstack', ['up', ...stopped], { stdio: 'inherit' });
    if (up.status !== 0) {
      spawnSync('scripts/devstack', ['down', ...stopped], { stdio: 'inherit' });
      console.error('the dev stack did not start; see the messages above');
      process.exit(1);
    }
  }
  return stopped;
}

/** The connection settings the dev stack prints, plus the names the MinIO tests read. */
function devstackEnv() {
  const env = {};
  for (const line of execFileSync('scripts/devstack', ['env'], { encoding: 'utf8' }).split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2].replace(/^'(.*)'$/, '$1');
  }
  env.FSCPUSH_MINIO_URL ??= env.FSCPUSH_S3_ENDPOINT;
  env.FSCPUSH_MINIO_ACCESS_KEY ??= env.FSCPUSH_S3_ACCESS_KEY;
  env.FSCPUSH_MINIO_SECRET_KEY ??= env.FSCPUSH_S3_SECRET_KEY;
  return env;
}
