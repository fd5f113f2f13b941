import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CONFIG_KEYS, envNameOf } from '@fscpush/core';
import { openFileLimit } from './proc-stats.ts';
import type { HeapSample, Target } from './target.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PROBE = join(ROOT, 'bench/lib/server-probe.ts');

export interface ServerChildOptions {
  /** extra FSCPUSH_* variables */
  env?: Record<string, string>;
  /** RLIMIT_NOFILE for the child (raised with prlimit; needs root for more than the hard limit) */
  maxFiles?: number;
  /** write a V8 CPU profile of the server to this directory when it stops */
  cpuProfDir?: string;
  keepDataDir?: boolean;
  /** 'bin' runs bin/fscpush.js all (default); 'embedded' runs bench/lib/embedded-entry.ts, the same server without the CLI */
  entry?: 'bin' | 'embedded';
  /** another checkout of fscpush to run the server from (A/B comparisons of two builds) */
  serverRoot?: string;
}

export interface ServerChild {
  target: Target;
  dataDir: string;
  logFile: string;
  pid: number;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const SUPER_CODE = '246810';
/** every listener on a free port, whatever ports the server has grown (management, media, …) */
const EPHEMERAL_PORTS = Object.fromEntries(Object.keys(CONFIG_KEYS).filter((key) => /(^|\.)port$/.test(key)).map((key) => [envNameOf(key), '0']));

/** Starts `bin/fscpush.js all` with a fresh data dir and ephemeral ports; resolves when it logs its ports. */
export async function startServerChild(options: ServerChildOptions = {}): Promise<ServerChild> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fscpush-bench-'));
  const logFile = join(dataDir, 'server.log');
  const probeFile = join(dataDir, 'probe.json');
  const adminSecret = randomBytes(18).toString('base64url');
  const nodeArgs = ['--expose-gc', '--import', PROBE];
  if (options.cpuProfDir !== undefined) {
    mkdirSync(options.cpuProfDir, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfDir);
  }
  const root = options.serverRoot !== undefined ? resolve(options.serverRoot) : ROOT;
  const entry = options.entry === 'embedded' ? [join(ROOT, 'bench/lib/embedded-entry.ts')] : [join(root, 'bin/fscpush.js'), 'all'];
  const args = [...nodeArgs, ...entry, '--data-dir', dataDir, '--config', join(dataDir, 'none.properties')];
  // the child inherits this process's limit; prlimit raises it when asked for more (needs CAP_SYS_RESOURCE
  // past the hard limit: without it the child gets the hard limit, and the scenario reports the cap)
  const [soft, hard] = openFileLimit('self') ?? [0, 0];
  const files = options.maxFiles === undefined ? undefined : Math.min(options.maxFiles, hard);
  const raise = files !== undefined && files > soft;
  const command = raise ? 'prlimit' : process.execPath;
  const argv = raise ? [`--nofile=${files}:${files}`, '--', process.execPath, ...args] : args;
  const out = openSync(logFile, 'a');
  const proc: ChildProcess = spawn(command, argv, {
    cwd: root,
    env: {
      ...process.env,
      ...EPHEMERAL_PORTS,
      FSCPUSH_SERVER_ADDRESS: '127.0.0.1',
      FSCPUSH_SMS_SUPERCODE: SUPER_CODE,
      FSCPUSH_IM_ADMIN_SECRET: adminSecret,
      FSCPUSH_PUSH_API_RATE_LIMIT: '0',
      // info: the production default, and the level of the "started" line the bench reads its ports from
      FSCPUSH_LOG_LEVEL: 'info',
      FSCPUSH_BENCH_PROBE_FILE: probeFile,
      ...options.env,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  let gone = false;
  void exited.then(() => { gone = true; });

  let ports: { tcp: number; ws: number; login: number; api: number };
  try {
    ports = await waitForStart(logFile, () => gone, 60_000);
  } catch (err) {
    proc.kill('SIGKILL');
    await exited;
    if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const pid = proc.pid!;
  const target: Target = {
    tcp: [{ host: '127.0.0.1', port: ports.tcp }],
    ws: [{ host: '127.0.0.1', port: ports.ws, path: '/ws' }],
    loginUrl: `http://127.0.0.1:${ports.login}`,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    adminSecret,
    superCode: SUPER_CODE,
    processes: [{ name: 'fscpush all', pid }],
    probe: () => probeHeap(pid, probeFile),
  };
  return {
    target,
    dataDir,
    logFile,
    pid,
    async stop() {
      if (!gone) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      const exit = await exited;
      clearTimeout(timer);
      if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      return exit;
    },
  };
}

/** The pid behind prlimit is the same process: prlimit execs node. */
async function waitForStart(logFile: string, gone: () => boolean, timeoutMs: number): Promise<{ tcp: number; ws: number; login: number; api: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(logFile)) {
      const text = readFileSync(logFile, 'utf8');
      const line = text.split('\n').find((l) => l.includes('fscpush embedded server started'));
      if (line) return JSON.parse(line) as { tcp: number; ws: number; login: number; api: number };
      if (gone()) throw new Error(`server exited during start:\n${text.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not start in ${timeoutMs} ms (log: ${logFile})`);
}

async function probeHeap(pid: number, file: string): Promise<HeapSample | undefined> {
  if (existsSync(file)) unlinkSync(file);
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 25));
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as HeapSample;
  }
  return undefined;
}
