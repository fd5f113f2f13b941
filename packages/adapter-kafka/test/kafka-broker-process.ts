import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE, JAVA, JavaServerProcess, ROOT, freePort } from '@fscpush/testkit/java-server-process';

/**
 * A private single-node KRaft Kafka for tests that must stop and restart a broker (the shared dev-stack
 * broker is used by everyone). Same jars, template and settings as scripts/devstack, on free ports and in
 * its own directory.
 */
const KAFKA_LIB = join(CACHE, 'kafka-3.9.1/lib');
const CLUSTER_ID = '4L6g3nShT-eMCtK--X86sw'; // the dev stack's id; this broker is a cluster of its own anyway

export class KafkaBrokerProcess {
  readonly dir: string;
  readonly controllerPort: number;
  private readonly server: JavaServerProcess;

  private constructor(dir: string, port: number, controllerPort: number) {
    this.dir = dir;
    this.controllerPort = controllerPort;
    this.server = new JavaServerProcess('Kafka broker', join(dir, 'kafka.log'), port);
  }

  static async create(): Promise<KafkaBrokerProcess> {
    if (!existsSync(KAFKA_LIB)) throw new Error(`no Kafka jars in ${KAFKA_LIB}: run scripts/devstack install kafka`);
    const [port, controllerPort] = [await freePort(), await freePort()];
    const broker = new KafkaBrokerProcess(mkdtempSync(join(tmpdir(), 'fscpush-kafka-test-')), port, controllerPort);
    broker.format();
    return broker;
  }

  get port(): number {
    return this.server.port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.server.pid;
  }

  /** Starts the broker on the existing storage and waits until it accepts connections and says it started. */
  start(): Promise<void> {
    return this.server.start(
      ['-Xms256m', '-Xmx256m', '-server', '-Djava.awt.headless=true', '-XX:+UseG1GC', '-XX:TieredStopAtLevel=1',
        `-Dlog4j.configuration=file:${join(ROOT, 'infra/log4j.properties')}`, `-Dkafka.logs.dir=${this.dir}`,
        '-cp', `${KAFKA_LIB}/*`, 'kafka.Kafka', join(this.dir, 'kraft.properties')],
      'Kafka Server started',
    );
  }

  /** Stops the broker: SIGKILL (a crash) or SIGTERM (clean shutdown, SIGKILL after 30 s). */
  stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
    return this.server.stop(signal);
  }

  /** Freezes the broker (SIGSTOP): connections stay open but nothing answers, like a hung machine. */
  freeze(): void {
    this.server.freeze();
  }

  /** Lets a frozen broker run on (SIGCONT). */
  thaw(): void {
    this.server.thaw();
  }

  /** Throws the data away and formats fresh storage: the broker comes back knowing no topic and no group. */
  wipe(): void {
    if (this.server.pid !== undefined) throw new Error('stop the broker first');
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
