import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE, JavaServerProcess, ROOT, freePort } from '@fscpush/testkit/java-server-process';

/**
 * A private Hazelcast member for tests that must kill, freeze or restart it (the dev stack's member is
 * shared by everyone). Same jar and config template as scripts/devstack, on a free port, with its own
 * cluster name and directory.
 */
const HZ_LIB = join(CACHE, 'hazelcast-5.6.0/lib');
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
  readonly clusterName: string;
  private readonly server: JavaServerProcess;

  private constructor(dir: string, port: number, clusterName: string) {
    this.dir = dir;
    this.clusterName = clusterName;
    this.server = new JavaServerProcess('Hazelcast member', join(dir, 'hazelcast.log'), port);
  }

  static async create(clusterName: string): Promise<HazelcastMemberProcess> {
    if (!existsSync(HZ_LIB)) throw new Error(`no Hazelcast jar in ${HZ_LIB}: run scripts/devstack install hazelcast`);
    const member = new HazelcastMemberProcess(mkdtempSync(join(tmpdir(), 'fscpush-hz-test-')), await freePort(), clusterName);
    const template = readFileSync(join(ROOT, 'infra/hazelcast/hazelcast.yaml.tmpl'), 'utf8');
    writeFileSync(join(member.dir, 'hazelcast.yaml'), template.replaceAll('@HZ_PORT@', String(member.port)).replaceAll('@HZ_CLUSTER@', clusterName));
    return member;
  }

  get port(): number {
    return this.server.port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the member (empty: a member keeps nothing across restarts) and waits until it is STARTED. */
  start(): Promise<void> {
    return this.server.start(
      ['-Xms128m', '-Xmx256m', '-XX:TieredStopAtLevel=1', ...MODULE_FLAGS, `-Dhazelcast.config=${join(this.dir, 'hazelcast.yaml')}`,
        '-Dhazelcast.phone.home.enabled=false', '-cp', `${HZ_LIB}/*`, 'com.hazelcast.core.server.HazelcastMemberStarter'],
      'is STARTED',
    );
  }

  /** Stops the member: SIGKILL (a crash) or SIGTERM (graceful, SIGKILL after 30 s). */
  stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    return this.server.stop(signal);
  }

  freeze(): void {
    this.server.freeze();
  }

  thaw(): void {
    this.server.thaw();
  }

  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
