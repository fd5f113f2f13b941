import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import zookeeper from 'node-zookeeper-client';
import { deriveConnectPassword } from '@fscpush/protocol';
import { TcpImClient } from './tcp-im-client.ts';
import { WsImClient } from './ws-im-client.ts';
import type { ChatClient } from './im-client.ts';

/** Environment for a server process on 127.0.0.1 whose every listener takes a free port (it logs which). */
export const LOOPBACK_FREE_PORTS_ENV: Readonly<Record<string, string>> = {
  FSCPUSH_SERVER_ADDRESS: '127.0.0.1',
  FSCPUSH_PUSH_TCP_PORT: '0',
  FSCPUSH_PUSH_WS_PORT: '0',
  FSCPUSH_SERVER_HTTP_PORT: '0',
  FSCPUSH_PUSH_API_PORT: '0',
  FSCPUSH_MEDIA_HTTP_PORT: '0',
  FSCPUSH_MANAGEMENT_PORT: '0',
};

const ROOT = resolve(import.meta.dirname, '../../..');
export const CLUSTER_SUPER_CODE = '735153';

type Service = 'push-group' | 'push-connector' | 'push-api';

/** One service process of a cluster, started with bin/fscpush.js like an operator would. */
export class ServiceProcess {
  readonly service: Service;
  readonly proc: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  ports: Record<string, number> = {};
  node = '';
  /** Every line the process wrote to stdout (its JSON log unless logging.file is set). */
  readonly output: string[] = [];

  constructor(service: Service, proc: ChildProcess) {
    this.service = service;
    this.proc = proc;
    this.exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    return this.exited;
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run cluster tests with "npm run test:cluster" (it starts scripts/devstack)`);
  return value;
}

/**
 * A cluster of real fscpush service processes (bin/fscpush.js push-group|push-connector|push-api) on the
 * dev stack's engines, for tests and the load generator: its own ZooKeeper chroot and MySQL database, so
 * runs never see each other's providers or data. Processes are its children and stopped by pid.
 */
export interface ProcessClusterOptions {
  /** extra node options for every service process, e.g. ['--cpu-prof', '--cpu-prof-dir', dir] */
  nodeArgs?: string[];
}

export class ProcessCluster {
  readonly id = `t${randomBytes(4).toString('hex')}`;
  private readonly nodeArgs: string[];
  readonly baseDir = mkdtempSync(join(tmpdir(), 'fscpush-cluster-'));
  readonly processes: ServiceProcess[] = [];
  private readonly clients: ChatClient[] = [];

  constructor(options: ProcessClusterOptions = {}) {
    this.nodeArgs = options.nodeArgs ?? [];
  }

  /** The env every service process of this cluster gets (FShareChat keys through FSCPUSH_*). */
  env(extra: Record<string, string> = {}): Record<string, string> {
    const zk = required('FSCPUSH_ZK_CONNECT');
    return {
      FSCPUSH_DUBBO_REGISTRY_ADDRESS: `zookeeper://${zk}/${this.id}`,
      FSCPUSH_ZOOKEEPER_SESSION_TIMEOUT_MS: '4000',
      FSCPUSH_PUSH_KAFKA_BROKER: required('FSCPUSH_KAFKA_BROKERS'),
      FSCPUSH_HAZELCAST_MEMBERS: required('FSCPUSH_HZ_MEMBERS'),
      FSCPUSH_HAZELCAST_CLUSTER_NAME: required('FSCPUSH_HZ_CLUSTER_NAME'),
      FSCPUSH_IM_JDBC_URL: `jdbc:mysql://${mysqlHostPort()}/fscpush_${this.id}`,
      FSCPUSH_IM_USER: mysqlUrl().username,
      FSCPUSH_IM_PASSWORD: mysqlUrl().password,
      FSCPUSH_MINIO_URL: required('FSCPUSH_S3_ENDPOINT'),
      FSCPUSH_MINIO_ACCESS_KEY: required('FSCPUSH_S3_ACCESS_KEY'),
      FSCPUSH_MINIO_SECRET_KEY: required('FSCPUSH_S3_SECRET_KEY'),
      FSCPUSH_MEDIA_BUCKET_PREFIX: `${this.id}-`,
      ...LOOPBACK_FREE_PORTS_ENV,
      FSCPUSH_DUBBO_PROTOCOL_PORT: '0',
      FSCPUSH_SMS_SUPERCODE: CLUSTER_SUPER_CODE,
      FSCPUSH_IM_ADMIN_SECRET: `admin-${this.id}`,
      ...extra,
    };
  }

  /** Creates the chroot znode (ZooKeeper does not create it for a client). */
  async prepare(): Promise<void> {
    const client = zookeeper.createClient(required('FSCPUSH_ZK_CONNECT'), { sessionTimeout: 5000 });
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error('ZooKeeper not reachable')), 10_000);
      client.once('connected', () => {
        clearTimeout(timer);
        res();
      });
      client.connect();
    });
    await new Promise<void>((res, rej) =>
      client.mkdirp(`/${this.id}`, (err) => (err ? rej(err) : res())),
    );
    client.close();
  }

  /**
   * Starts a service with its own data dir and waits for its "started" log line. With `settings: 'file'`
   * the process gets no FSCPUSH_* variables at all: the caller wrote every setting into
   * <data dir>/application.properties (see env() for what the engines need).
   */
  async start(service: Service, extraEnv: Record<string, string> = {}, dataDir?: string, options: { settings?: 'env' | 'file' } = {}): Promise<ServiceProcess> {
    const dir = dataDir ?? mkdtempSync(join(this.baseDir, `${service}-`));
    const env =
      options.settings === 'file'
        ? { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FSCPUSH_'))), ...extraEnv }
        : { ...process.env, ...this.env(extraEnv), FSCPUSH_LOG_LEVEL: process.env['FSCPUSH_TEST_LOG'] === '1' ? 'debug' : 'info' };
    const proc = spawn(process.execPath, [...this.nodeArgs, join(ROOT, 'bin/fscpush.js'), service, '--data-dir', dir, '--config', join(dir, 'application.properties')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sp = new ServiceProcess(service, proc);
    this.processes.push(sp);
    const lines = createInterface({ input: proc.stdout! });
    const errors: string[] = [];
    proc.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`${service} did not start in 60 s: ${errors.join('').slice(-2000)}`)), 60_000);
      lines.on('line', (line) => {
        sp.output.push(line);
        if (process.env['FSCPUSH_TEST_LOG'] === '1') process.stderr.write(`[${service}] ${line}\n`);
        if (!line.includes(`"fscpush ${service} started"`)) return;
        clearTimeout(timer);
        const entry = JSON.parse(line) as Record<string, unknown>;
        sp.node = String(entry['node']);
        for (const key of ['tcp', 'ws', 'login', 'api']) if (typeof entry[key] === 'number') sp.ports[key] = entry[key] as number;
        res();
      });
      void sp.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        rej(new Error(`${service} exited during start (${code ?? signal}): ${errors.join('').slice(-2000)}`));
      });
    });
    return sp;
  }

  async login(group: ServiceProcess, mobile: string, clientId: string): Promise<{ userId: string; token: string; clientId: string }> {
    const res = await fetch(`http://127.0.0.1:${group.ports['login']}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mobile, code: CLUSTER_SUPER_CODE, clientId }) });
    const json = (await res.json()) as { code: number; message: string; result: { userId: string; token: string } };
    if (json.code !== 0) throw new Error(`login failed: ${json.message}`);
    return { ...json.result, clientId };
  }

  async connect(connector: ServiceProcess, transport: 'tcp' | 'ws', who: { userId: string; token: string; clientId: string }): Promise<ChatClient> {
    const client = transport === 'tcp' ? new TcpImClient({ requestTimeoutMs: 10_000 }) : new WsImClient({ requestTimeoutMs: 10_000 });
    this.clients.push(client);
    const result = await client.connect({
      host: '127.0.0.1',
      port: transport === 'tcp' ? connector.ports['tcp']! : connector.ports['ws']!,
      path: '/ws',
      userName: who.userId,
      password: deriveConnectPassword(who.token, { webQuirks: transport === 'ws' }),
      clientId: who.clientId,
      timeoutMs: 10_000,
    });
    if (!result.accepted) throw new Error(`CONNECT refused: ${result.code}`);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.close()));
    await Promise.allSettled(this.processes.map((p) => p.kill('SIGTERM')));
    const stragglers = this.processes.filter((p) => p.proc.exitCode === null && p.proc.signalCode === null);
    await Promise.allSettled(stragglers.map((p) => p.kill('SIGKILL')));
    rmSync(this.baseDir, { recursive: true, force: true });
  }
}

function mysqlUrl(): URL {
  return new URL(required('FSCPUSH_MYSQL_URI'));
}

function mysqlHostPort(): string {
  const url = mysqlUrl();
  return `${url.hostname}:${url.port || '3306'}`;
}
