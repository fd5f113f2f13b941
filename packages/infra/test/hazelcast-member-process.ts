import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A private Hazelcast member for tests that must kill, freeze or restart it (the dev stack's member is
 * shared by everyone). Same jar and config template as scripts/devstack, on a free port, with its own
 * cluster name and directory; controlled only through the process it started.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CACHE = process.env['FSCPUSH_CACHE'] ?? join(homedir(), '.cache/fscpush');
const HZ_LIB = join(CACHE, 'hazelcast-5.6.0/lib');
const JAVA = process.env['FSCPUSH_JAVA'] ?? '/usr/bin/java';
const READY_TIMEOUT_MS = 90_000;
/** As scripts/devstack: the module flags hz-start passes on JDK 17. */
const MODULE_FLAGS = [
  '--add-modules', 'java.se',
  '--add-exports', 'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens', 'java.base/java.lang=ALL-UNNAMED',
  '--add-opens', 'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens', 'java.management/sun.management=ALL-UNNAMED',
  '--add-opens', 'jdk.management/com.sun.management.internal=ALL-UNNAMED',
];

export class HazelcastMemberProcess {
  readonly dir: string;
  readonly port: number;
  readonly clusterName: string;
  private child: ChildProcess | undefined;
  private readonly logPath: string;

  private constructor(dir: string, port: number, clusterName: string) {
    this.dir = dir;
    this.port = port;
    this.clusterName = clusterName;
    this.logPath = join(dir, 'hazelcast.log');
  }

  static async create(clusterName: string): Promise<HazelcastMemberProcess> {
    if (!existsSync(HZ_LIB)) throw new Error(`no Hazelcast jar in ${HZ_LIB}: run scripts/devstack install hazelcast`);
    const member = new HazelcastMemberProcess(mkdtempSync(join(tmpdir(), 'fscpush-hz-test-')), await freePort(), clusterName);
    const template = readFileSync(join(ROOT, 'infra/hazelcast/hazelcast.yaml.tmpl'), 'utf8');
    writeFileSync(join(member.dir, 'hazelcast.yaml'), template.replaceAll('@HZ_PORT@', String(member.port)).replaceAll('@HZ_CLUSTER@', clusterName));
    return member;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the member (empty: a member keeps nothing across restarts) and waits until it is STARTED. */
  async start(): Promise<void> {
    if (this.child) throw new Error('member already running');
    const logStart = existsSync(this.logPath) ? readFileSync(this.logPath).length : 0;
    const log = createWriteStream(this.logPath, { flags: 'a' });
    const child = spawn(
      JAVA,
      ['-Xms128m', '-Xmx256m', '-XX:TieredStopAtLevel=1', ...MODULE_FLAGS, `-Dhazelcast.config=${join(this.dir, 'hazelcast.yaml')}`,
        '-Dhazelcast.phone.home.enabled=false', '-cp', `${HZ_LIB}/*`, 'com.hazelcast.core.server.HazelcastMemberStarter'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`member exited with ${code}; log ${this.logPath}`))));
    exited.catch(() => {});
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const started = existsSync(this.logPath) && readFileSync(this.logPath).subarray(logStart).includes('is STARTED');
      if (started && (await canConnect(this.port))) return;
      if (Date.now() > deadline) throw new Error(`member not ready after ${READY_TIMEOUT_MS} ms; log ${this.logPath}`);
      await Promise.race([new Promise((r) => setTimeout(r, 200)), exited]);
    }
  }

  /** Stops the member: SIGKILL (a crash) or SIGTERM (graceful, SIGKILL after 30 s). */
  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
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

  /** Freezes the member (SIGSTOP): its connections stay open but nothing answers, like a hung machine. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
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
