#!/usr/bin/env node
// npm run bench -- <scenario> [options]   (see bench/README.md)
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { openFileLimit } from './lib/proc-stats.ts';
import { RunContext, type CommonOptions } from './lib/context.ts';
import { parseEndpoints, type Target } from './lib/target.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { parseClusterShape, startClusterTarget } from './lib/cluster-target.ts';

const COMMON = {
  transport: { type: 'string', default: 'mixed' },
  'cpu-prof': { type: 'string' },
  'source-addrs': { type: 'string', default: '8' },
  'heartbeat-ms': { type: 'string', default: '25000' },
  'request-timeout-ms': { type: 'string', default: '15000' },
  'connect-concurrency': { type: 'string', default: '64' },
  out: { type: 'string' },
  'max-seconds': { type: 'string' },
  'target-tcp': { type: 'string' },
  'target-ws': { type: 'string' },
  'login-url': { type: 'string' },
  'api-url': { type: 'string' },
  'admin-secret': { type: 'string' },
  'super-code': { type: 'string' },
  'server-pids': { type: 'string' },
  'server-entry': { type: 'string', default: 'bin' },
  'server-root': { type: 'string' },
  'keep-data': { type: 'boolean' },
  cluster: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const [name, ...rest] = process.argv.slice(2);
const scenario = name === undefined ? undefined : SCENARIOS[name];
if (!scenario || name === '--help' || name === '-h') {
  process.stdout.write(usage());
  process.exit(name === undefined || name === '--help' || name === '-h' ? 0 : 2);
}
const { values } = parseArgs({ args: rest, options: { ...COMMON, ...scenario.options }, strict: true, allowPositionals: false });
if (values.help) {
  process.stdout.write(usage(name));
  process.exit(0);
}
const str = (key: string): string | undefined => (values as Record<string, string | boolean | undefined>)[key] as string | undefined;
const num = (key: string): number => {
  const v = Number(str(key));
  if (!Number.isFinite(v)) throw new Error(`--${key} must be a number`);
  return v;
};
const transport = str('transport');
if (transport !== 'tcp' && transport !== 'ws' && transport !== 'mixed') throw new Error('--transport is tcp, ws or mixed');

// --cluster 2x2: run against real service processes on the dev stack's engines (cluster mode)
const serverSettings = scenario.server?.(num) ?? {};
const cluster = str('cluster') !== undefined ? await startClusterTarget(parseClusterShape(str('cluster')!), str('cpu-prof'), serverSettings.env) : undefined;
const common: CommonOptions = {
  transport,
  cpuProfDir: str('cpu-prof'),
  sourceAddresses: num('source-addrs'),
  heartbeatMs: num('heartbeat-ms'),
  requestTimeoutMs: num('request-timeout-ms'),
  connectConcurrency: num('connect-concurrency'),
  outDir: str('out'),
  external: cluster?.target ?? externalTarget(),
  maxSeconds: str('max-seconds') !== undefined ? num('max-seconds') : scenario.maxSeconds,
  quiet: false,
  serverEntry: str('server-entry') === 'embedded' ? 'embedded' : 'bin',
  serverRoot: str('server-root'),
  keepData: values['keep-data'] === true,
};
const server = serverSettings;
if (server.maxFiles !== undefined) raiseOwnFileLimit(server.maxFiles);
const ctx = await RunContext.open(name!, common, server);
let ok = false;
try {
  const result = await scenario.run(ctx, num, str);
  ok = (result['verification'] as { ok?: boolean } | undefined)?.ok !== false;
  await ctx.finish(result, result['connectionsHeld'] as number | undefined);
} catch (err) {
  ctx.monitor.log(`bench failed: ${(err as Error).stack ?? String(err)}`);
  await ctx.finish({ failed: String(err) }).catch(() => undefined);
}
await cluster?.stop();
process.exit(ok ? 0 : 1);

/** The generator holds one socket per device too: raise its own RLIMIT_NOFILE (root may raise the hard limit). */
function raiseOwnFileLimit(n: number): void {
  const [soft, hard] = openFileLimit('self') ?? [0, 0];
  if (soft >= n) return;
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${n}:${n}`], { stdio: 'ignore' });
  } catch {
    if (soft < hard) execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${hard}:${hard}`], { stdio: 'ignore' });
    process.stderr.write(`open file limit: wanted ${n}, the hard limit is ${hard} and cannot be raised here (no CAP_SYS_RESOURCE)\n`);
  }
}

function externalTarget(): Target | undefined {
  const tcp = str('target-tcp');
  const ws = str('target-ws');
  if (tcp === undefined && ws === undefined) return undefined;
  const loginUrl = str('login-url');
  const superCode = str('super-code');
  if (loginUrl === undefined || superCode === undefined) throw new Error('an external target needs --login-url and --super-code (and --api-url/--admin-secret for groups)');
  return {
    tcp: tcp === undefined ? [] : parseEndpoints(tcp),
    ws: ws === undefined ? [] : parseEndpoints(ws),
    loginUrl,
    apiUrl: str('api-url') ?? '',
    adminSecret: str('admin-secret') ?? '',
    superCode,
    processes: (str('server-pids') ?? '').split(',').filter((s) => s !== '').map((entry) => {
      const [label, pid] = entry.includes('=') ? entry.split('=') : [`pid ${entry}`, entry];
      return { name: label!, pid: Number(pid) };
    }),
  };
}

function usage(only?: string): string {
  const lines = ['usage: npm run bench -- <scenario> [options]', '', 'scenarios:'];
  for (const [key, s] of Object.entries(SCENARIOS)) {
    if (only !== undefined && key !== only) continue;
    lines.push(`  ${key.padEnd(11)} ${s.description}`);
    for (const [opt, spec] of Object.entries(s.options)) lines.push(`      --${opt.padEnd(22)} default ${(spec as { default?: string }).default ?? '-'}`);
  }
  lines.push('', 'common options:');
  for (const [opt, spec] of Object.entries(COMMON)) lines.push(`      --${opt.padEnd(22)} default ${(spec as { default?: string }).default ?? '-'}`);
  lines.push('', 'results: bench/results/<date>-<scenario>.json (this machine) and bench/latest/<scenario>.json (in git); see bench/README.md', '');
  return lines.join('\n');
}
