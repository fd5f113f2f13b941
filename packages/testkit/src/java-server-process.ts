import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CACHE = process.env['FSCPUSH_CACHE'] ?? join(homedir(), '.cache/fscpush');
export const JAVA = process.env['FSCPUSH_JAVA'] ?? '/usr/bin/java';
const READY_TIMEOUT_MS = 90_000;

/**
 * A private JVM server for tests that must kill, freeze or restart an engine (the dev stack's engines are
 * shared by everyone): started from the cached jars, logged to its own file, ready when its log says so and
 * its port accepts connections, controlled only through the process it started.
 */
export class JavaServerProcess {
  readonly label: string;
  readonly logPath: string;
  readonly port: number;
  private child: ChildProcess | undefined;

  constructor(label: string, logPath: string, port: number) {
    this.label = label;
    this.logPath = logPath;
    this.port = port;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(jvmArgs: string[], readyText: string): Promise<void> {
    if (this.child) throw new Error(`${this.label} already running`);
    const logStart = existsSync(this.logPath) ? readFileSync(this.logPath).length : 0;
    const log = createWriteStream(this.logPath, { flags: 'a' });
    const child = spawn(JAVA, jvmArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${this.label} exited with ${code}; log ${this.logPath}`))));
    exited.catch(() => {});
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const started = existsSync(this.logPath) && readFileSync(this.logPath).subarray(logStart).includes(readyText);
      if (started && (await canConnect(this.port))) return;
      if (Date.now() > deadline) throw new Error(`${this.label} not ready after ${READY_TIMEOUT_MS} ms; log ${this.logPath}`);
      await Promise.race([new Promise((r) => setTimeout(r, 200)), exited]);
    }
  }

  /** SIGKILL (a crash) or SIGTERM (graceful, SIGKILL after 30 s); a frozen process is thawed first. */
  async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || (child.signalCode !== null && child.signalCode !== 'SIGSTOP')) return;
    child.kill('SIGCONT');
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  /** SIGSTOP: connections stay open but nothing answers, like a hung machine. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolveConnect(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
