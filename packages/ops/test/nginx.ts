import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
const POLICY = '/usr/sbin/policy-rc.d';

/**
 * Debian's nginx with the stream module, installed when missing (CI starts from a fresh machine). The
 * package must not start a system-wide nginx: a policy-rc.d keeps its postinst from doing so.
 */
export function ensureNginx(): string {
  const binary = '/usr/sbin/nginx';
  if (existsSync(binary) && existsSync(STREAM_MODULE)) return binary;
  if (process.getuid?.() !== 0) throw new Error('nginx (with libnginx-mod-stream) is missing and this is not root: apt-get install -y nginx libnginx-mod-stream');
  const ownPolicy = !existsSync(POLICY);
  if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', 'nginx', 'libnginx-mod-stream']]) {
      const result = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 300_000 });
      if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${(result.stderr || result.stdout).slice(-2000)}`);
    }
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true });
  }
  if (!existsSync(binary) || !existsSync(STREAM_MODULE)) throw new Error('nginx installed, but not where expected');
  return binary;
}

export interface NginxProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

/** Runs nginx in the foreground as this process's child, with its own prefix; stopped by pid. */
export async function startNginx(binary: string, prefix: string, config: string, readyPorts: number[]): Promise<NginxProcess> {
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  // Debian's modules-enabled/*.conf name modules relative to the prefix
  if (!existsSync(join(prefix, 'modules'))) symlinkSync('/usr/lib/nginx/modules', join(prefix, 'modules'));
  const confFile = join(prefix, 'nginx.conf');
  writeFileSync(confFile, config);
  const test = spawnSync(binary, ['-t', '-p', prefix, '-e', 'logs/error.log', '-c', confFile], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t failed:\n${test.stderr}`);
  const proc: ChildProcess = spawn(binary, ['-p', prefix, '-e', 'logs/error.log', '-c', confFile, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (const port of readyPorts) {
    while (!(await accepts(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`nginx did not listen on ${port}: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    pid: proc.pid!,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGQUIT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface NginxTargets {
  listen: { tcp: number; ws: number; login: number; api: number };
  /** per example host (10.0.0.11, .12, .13): its ports; hosts left out are dropped from the upstreams */
  hosts: { tcp?: number; ws?: number; login?: number; api?: number }[];
  media: string;
}

/**
 * The shipped nginx.conf example, pointed at this machine: example hosts become 127.0.0.1 ports,
 * listeners move to free ports, and pid/log/temp paths go under the nginx prefix. Everything else
 * (stream proxying, Upgrade headers, upstream options) is used as shipped.
 */
export function localizeNginxExample(example: string, targets: NginxTargets): string {
  const defaults = { tcp: 6789, ws: 9326, login: 8081, api: 8080 } as const;
  let conf = example;
  for (const [kind, port] of Object.entries(defaults) as [keyof typeof defaults, number][]) {
    conf = conf.replace(new RegExp(`^(\\s*)listen ${port};`, 'm'), `$1listen 127.0.0.1:${targets.listen[kind]};`);
    for (let i = 0; i < 3; i++) {
      const local = targets.hosts[i]?.[kind];
      const line = new RegExp(`^\\s*server 10\\.0\\.0\\.${11 + i}:${port}\\b[^\\n]*\\n`, 'm');
      conf = local === undefined ? conf.replace(line, '') : conf.replace(line, (l) => l.replace(`10.0.0.${11 + i}:${port}`, `127.0.0.1:${local}`));
    }
  }
  conf = conf.replace('server 10.0.0.21:9000;', `server ${targets.media};`);
  const left = /^[^#\n]*10\.0\.0\.\d+.*$/m.exec(conf);
  if (left) throw new Error(`an example address is left in the nginx config: ${left[0]}`);
  const paths = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path tmp/${t};`).join('\n');
  return `pid nginx.pid;\nerror_log logs/error.log;\n${conf.replace(/^http \{\n/m, `http {\n    access_log logs/access.log;\n${paths}\n`)}`;
}
