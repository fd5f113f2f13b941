import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A private single-node KRaft Kafka for tests that must stop and restart a broker (the shared dev-stack
 * broker is used by everyone). Same jars, template and settings as scripts/devstack, on free ports and in
 * its own directory; controlled only through the pid of the process it started.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CACHE = process.env['FSCPUSH_CACHE'] ?? join(homedir(), '.cache/fscpush');
const KAFKA_LIB = join(CACHE, 'kafka-3.9.1/lib');
const JAVA = process.env['FSCPUSH_JAVA'] ?? '/usr/bin/java';
const CLUSTER_ID = '4L6g3nShT-eMCtK--X86sw'; // the dev stack's id; this broker is a cluster of its own anyway
const READY_TIMEOUT_MS = 90_000;

export class KafkaBrokerProcess {
  readonly dir: string;
  readonly port: number;
  readonly controllerPort: number;
  private child: ChildProcess | undefined;
  private logPath: string;

  private constructor(dir: string, port: number, controllerPort: number) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.logPath = join(dir, 'kafka.log');
  }

  static async create(): Promise<KafkaBrokerProcess> {
    if (!existsSync(KAFKA_LIB)) throw new Error(`no Kafka jars in ${KAFKA_LIB}: run scripts/devstack install kafka`);
    const [port, controllerPort] = [await freePort(), await freePort()];
    const broker = new KafkaBrokerProcess(mkdtempSync(join(tmpdir(), 'fscpush-kafka-test-')), port, controllerPort);
    broker.format();
    return broker;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the broker on the existing storage and waits until it accepts connections and says it started. */
  async start(): Promise<void> {
    if (this.child) throw new Error('broker already running');
    const logStart = existsSync(this.logPath) ? readFileSync(this.logPath).length : 0;
    const log = createWriteStream(this.logPath, { flags: 'a' });
    const child = spawn(
      JAVA,
      ['-Xms256m', '-Xmx256m', '-server', '-Djava.awt.headless=true', '-XX:+UseG1GC', '-XX:TieredStopAtLevel=1',
        `-Dlog4j.configuration=file:${join(ROOT, 'infra/log4j.properties')}`, `-Dkafka.logs.dir=${this.dir}`,
        '-cp', `${KAFKA_LIB}/*`, 'kafka.Kafka', join(this.dir, 'kraft.properties')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`broker exited with ${code}; log ${this.logPath}`))));
    exited.catch(() => {});
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const started = existsSync(this.logPath) && readFileSync(this.logPath).subarray(logStart).includes('Kafka Server started');
      if (started && (await canConnect(this.port))) return;
      if (Date.now() > deadline) throw new Error(`broker not ready after ${READY_TIMEOUT_MS} ms; log ${this.logPath}`);
      await Promise.race([new Promise((r) => setTimeout(r, 200)), exited]);
    }
  }

  /** Stops the broker: SIGKILL (a crash) or SIGTERM (clean shutdown, SIGKILL after 30 s). */
  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || (child.signalCode !== null && child.signalCode !== 'SIGSTOP')) return;
    child.kill('SIGCONT'); // a frozen broker would not act on SIGTERM
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  /** Freezes the broker (SIGSTOP): connections stay open but nothing answers, like a hung machine. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a frozen broker run on (SIGCONT). */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Throws the data away and formats fresh storage: the broker comes back knowing no topic and no group. */
  wipe(): void {
    if (this.child) throw new Error('stop the broker first');
    rmSync(join(this.dir, 'data'), { recursive: true, force: true });
    this.format();
  }

  /** Stops the broker if it runs and deletes its directory. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private format(): void {
    const template = readFileSync(join(ROOT, 'infra/kafka/kraft.properties.tmpl'), 'utf8');
    const props = template
      .replaceAll('@DATA_DIR@', join(this.dir, 'data'))
      .replaceAll('@KAFKA_PORT@', String(this.port))
      .replaceAll('@KAFKA_CONTROLLER_PORT@', String(this.controllerPort));
    writeFileSync(join(this.dir, 'kraft.properties'), props);
    const result = spawnSync(
      JAVA,
      ['-Xmx128m', '-XX:TieredStopAtLevel=1', `-Dlog4j.configuration=file:${join(ROOT, 'infra/log4j-tools.properties')}`,
        '-cp', `${KAFKA_LIB}/*`, 'kafka.tools.StorageTool', 'format', '-t', CLUSTER_ID, '-c', join(this.dir, 'kraft.properties'), '--ignore-formatted'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (result.status !== 0) throw new Error(`kafka storage format failed: ${result.stderr || result.stdout || result.error}`);
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
