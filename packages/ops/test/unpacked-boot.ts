import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export type BootService = 'push-group' | 'push-connector' | 'push-api';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * An unpacked tarball: data/boot under `dir`, driven only through its start scripts, with an
 * environment that has no Node.js on PATH and nothing from this repository.
 */
export class UnpackedBoot {
  readonly boot: string;

  constructor(dir: string) {
    this.boot = join(dir, 'data', 'boot');
  }

  static extract(tarball: string, dir: string): UnpackedBoot {
    const result = spawnSync('tar', ['xzf', tarball, '-C', dir], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tar xzf failed: ${result.stderr}`);
    return new UnpackedBoot(dir);
  }

  serviceDir(service: BootService): string {
    return join(this.boot, service);
  }

  pidFile(service: BootService): string {
    return join(this.serviceDir(service), `${service}.pid`);
  }

  /** Runs ./<service> <command> from another working directory, as an operator's shell would. */
  script(service: BootService, command: string, timeoutMs = 150_000): Promise<ScriptRun> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const proc = spawn(join(this.serviceDir(service), service), [command], {
        cwd: '/',
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env['HOME'] ?? '/root', LANG: 'C.UTF-8' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`./${service} ${command} did not finish in ${timeoutMs} ms: ${stdout}${stderr}`));
      }, timeoutMs);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      });
    });
  }

  /** Appends `key=value` lines to the service's config/application.properties. */
  configure(service: BootService, settings: Record<string, string | number>): void {
    const file = join(this.serviceDir(service), 'config', 'application.properties');
    const lines = Object.entries(settings).map(([k, v]) => `${k}=${v}`);
    spawnSync('sh', ['-c', 'cat >> "$1"', 'sh', file], { input: `\n${lines.join('\n')}\n` });
  }

  readPid(service: BootService): number | undefined {
    const file = this.pidFile(service);
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
  }
}

/** Processes whose command line mentions `path` (services started from an unpacked tarball there). */
export function processesUnder(path: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(path)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
