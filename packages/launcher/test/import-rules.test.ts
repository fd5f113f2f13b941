import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

/**
 * The import graph's rules, checked over every source file (tests and bench may import anything):
 * contracts and codecs know nothing of services; adapters know only the ports; services know the ports,
 * not the engines; only the composition root (launcher) picks adapters. Inside a service, the store code
 * (repos/) is the bottom layer and nothing imports the service's own entry.
 */
const ROOT = new URL('../../../', import.meta.url);

const ENGINE_DRIVERS = ['hazelcast-client', 'kafkajs', 'minio', 'mysql2', 'node-zookeeper-client', 'node:sqlite'];
const isAdapter = (spec: string): boolean => spec.startsWith('@fscpush/adapter-');
const ADAPTERS = globSync('packages/adapter-*', { cwd: ROOT }).map((dir) => dir.split('/')[1]!);
const SERVICES = ['push-group', 'push-connector', 'push-api'];

interface Rule {
  /** packages/<name> */
  packages: string[];
  /** the @fscpush/* specifiers allowed (exactly, or a package name allowing its root entry only) */
  fscpush: string[];
  forbidden?: string[];
}

const RULES: Rule[] = [
  { packages: ['core', 'protocol'], fscpush: [] },
  { packages: ['ports'], fscpush: ['@fscpush/core'], forbidden: ENGINE_DRIVERS },
  { packages: ['sql-kit'], fscpush: ['@fscpush/ports'], forbidden: ENGINE_DRIVERS },
  // adapters: the ports, the SQL kit, and the wire formats they speak (the RPC frames live in protocol); never another adapter
  { packages: ADAPTERS, fscpush: ['@fscpush/core', '@fscpush/ports', '@fscpush/protocol', '@fscpush/sql-kit'] },
  { packages: SERVICES, fscpush: ['@fscpush/core', '@fscpush/protocol', '@fscpush/ports'], forbidden: ENGINE_DRIVERS },
  // ops reads Kafka's consumer lag through its own admin client (the one engine it talks to itself)
  { packages: ['ops'], fscpush: ['@fscpush/core', '@fscpush/ports'], forbidden: ENGINE_DRIVERS.filter((d) => d !== 'kafkajs') },
  { packages: ['testkit'], fscpush: ['@fscpush/protocol'] },
];

interface Import {
  file: string;
  spec: string;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(new URL(file, ROOT), 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|^\s*import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return specs.map((spec) => ({ file, spec }));
}

const sources = globSync('packages/*/src/**/*.ts', { cwd: ROOT });
const packageOf = (file: string): string => file.split('/')[1]!;
const resolveRelative = (file: string, spec: string): string => new URL(spec, new URL(file, ROOT)).pathname.slice(ROOT.pathname.length);

test('the import rules hold for every source file', () => {
  assert.ok(sources.length > 100, `found only ${sources.length} source files`);
  const broken: string[] = [];
  for (const file of sources) {
    const pkg = packageOf(file);
    const rule = RULES.find((r) => r.packages.includes(pkg));
    for (const { spec } of importsOf(file)) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (packageOf(target) !== pkg) broken.push(`${file}: reaches into ${target} by a relative path (import the package)`);
        continue;
      }
      if (!rule) continue; // the composition root
      if (spec.startsWith('@fscpush/') && !rule.fscpush.includes(spec)) broken.push(`${file}: ${pkg} may not import ${spec}`);
      if (isAdapter(spec)) broken.push(`${file}: only the launcher picks adapters (${spec})`);
      if (rule.forbidden?.some((d) => spec === d || spec.startsWith(`${d}/`))) broken.push(`${file}: ${pkg} may not talk to an engine directly (${spec})`);
    }
  }
  assert.deepEqual(broken, []);
});

test('inside a service nothing runs upward: the store layer imports no feature, nothing imports the entry', () => {
  const broken: string[] = [];
  for (const file of sources.filter((f) => SERVICES.includes(packageOf(f)))) {
    const pkg = packageOf(file);
    if (file === `packages/${pkg}/src/index.ts`) continue; // the package's public face re-exports the entry
    const inStoreLayer = file.startsWith(`packages/${pkg}/src/repos/`) || file.startsWith(`packages/${pkg}/src/store/`);
    for (const { spec } of importsOf(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolveRelative(file, spec);
      if (target === `packages/${pkg}/src/${pkg}.ts` || target === `packages/${pkg}/src/index.ts`) broken.push(`${file}: imports its service's entry ${target}`);
      if (inStoreLayer && !target.startsWith(`packages/${pkg}/src/repos/`) && !target.startsWith(`packages/${pkg}/src/store/`)) broken.push(`${file}: the store layer imports ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('the rules can fail: a service importing an adapter or an engine is reported', () => {
  const rule = RULES.find((r) => r.packages.includes('push-group'))!;
  assert.ok(!rule.fscpush.some(isAdapter));
  assert.ok(rule.forbidden!.includes('mysql2') && rule.forbidden!.includes('node:sqlite'));
  assert.deepEqual(importsOf('packages/launcher/src/embedded.ts').filter((i) => isAdapter(i.spec)).map((i) => i.spec).sort(), ['@fscpush/adapter-memory', '@fscpush/adapter-sqlite'], 'the scanner sees the root pick adapters');
  assert.ok(ADAPTERS.length >= 9, `adapter packages: ${ADAPTERS.join(', ')}`);
});

test("a service's package depends on the ports, not on an adapter or an engine driver", () => {
  const broken: string[] = [];
  for (const pkg of [...SERVICES, 'ports', 'sql-kit', 'ops']) {
    const { dependencies = {} } = JSON.parse(readFileSync(new URL(`packages/${pkg}/package.json`, ROOT), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(dependencies)) {
      if (isAdapter(dep) || (ENGINE_DRIVERS.includes(dep) && !(pkg === 'ops' && dep === 'kafkajs'))) broken.push(`${pkg} depends on ${dep}`);
    }
  }
  assert.deepEqual(broken, []);
});
