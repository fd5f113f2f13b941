import { randomBytes } from 'node:crypto';
import type { Transport } from './bench-client.ts';
import { Fleet } from './fleet.ts';
import { Ledger } from './ledger.ts';
import { Monitor } from './monitor.ts';
import { openFileLimit, type ProcSample } from './proc-stats.ts';
import { loginAccounts } from './provision.ts';
import { machineInfo, printErrors, printProcesses, writeResult } from './report.ts';
import { startServerChild, type ServerChild } from './server-child.ts';
import type { Account } from './bench-client.ts';
import type { Target } from './target.ts';

export interface CommonOptions {
  transport: 'tcp' | 'ws' | 'mixed';
  cpuProfDir: string | undefined;
  sourceAddresses: number;
  heartbeatMs: number;
  requestTimeoutMs: number;
  connectConcurrency: number;
  outDir: string | undefined;
  /** a server that runs elsewhere (cluster mode); undefined = start the embedded server as a child */
  external: Target | undefined;
  /** hard bound on the whole run; the scenario stops sending when it is reached */
  maxSeconds: number;
  quiet: boolean;
  serverEntry: 'bin' | 'embedded';
  serverRoot: string | undefined;
  /** keep the server's data dir (and log) after the run, e.g. to look into a failed verification */
  keepData: boolean;
}

/** Everything one scenario run shares: the server (child or external), the monitor, the verifier, the devices. */
export class RunContext {
  readonly scenario: string;
  readonly options: CommonOptions;
  readonly target: Target;
  readonly monitor: Monitor;
  readonly ledger = new Ledger();
  readonly fleet: Fleet;
  readonly startedAt = new Date();
  readonly deadline: number;
  /** distinguishes this run's mobiles and client ids (an external server keeps earlier runs' users) */
  readonly runPrefix: string;
  private readonly child: ServerChild | undefined;

  private constructor(scenario: string, options: CommonOptions, target: Target, child: ServerChild | undefined) {
    this.scenario = scenario;
    this.options = options;
    this.target = target;
    this.child = child;
    this.monitor = new Monitor(target.processes);
    this.fleet = new Fleet(target, {
      sourceAddresses: options.sourceAddresses,
      heartbeatMs: options.heartbeatMs,
      requestTimeoutMs: options.requestTimeoutMs,
      connectConcurrency: options.connectConcurrency,
    }, (client, texts) => this.ledger.received(client.index, texts));
    this.deadline = Date.now() + options.maxSeconds * 1000;
    this.runPrefix = child ? '30' : String(30 + (Number.parseInt(randomBytes(2).toString('hex'), 16) % 60));
  }

  static async open(scenario: string, options: CommonOptions, server: { env?: Record<string, string>; maxFiles?: number } = {}): Promise<RunContext> {
    let child: ServerChild | undefined;
    let target = options.external;
    if (!target) {
      child = await startServerChild({
        ...(server.env !== undefined && { env: server.env }),
        ...(server.maxFiles !== undefined && { maxFiles: server.maxFiles }),
        ...(options.cpuProfDir !== undefined && { cpuProfDir: options.cpuProfDir }),
        entry: options.serverEntry,
        ...(options.serverRoot !== undefined && { serverRoot: options.serverRoot }),
        keepDataDir: options.keepData,
      });
      target = child.target;
    }
    const ctx = new RunContext(scenario, options, target, child);
    ctx.monitor.start();
    if (child) ctx.monitor.log(`server pid ${child.pid}, data ${child.dataDir}, log ${child.logFile}`);
    return ctx;
  }

  get timeLeftMs(): number {
    return this.deadline - Date.now();
  }

  transportOf(i: number): Transport {
    if (this.options.transport === 'mixed') return i % 2 === 0 ? 'ws' : 'tcp';
    return this.options.transport;
  }

  async login(count: number): Promise<Account[]> {
    this.monitor.phase = 'login';
    const t0 = performance.now();
    const accounts = await loginAccounts(this.target, count, this.runPrefix, 32, (done) => {
      this.monitor.status = () => `logged in ${done}/${count}`;
    });
    const seconds = (performance.now() - t0) / 1000;
    this.monitor.log(`logged in ${count} users in ${seconds.toFixed(1)} s (${Math.round(count / seconds)}/s)`);
    return accounts;
  }

  async connect(accounts: Account[]): Promise<void> {
    this.monitor.phase = 'connect';
    const t0 = performance.now();
    await this.fleet.connectAll(accounts, (i) => this.transportOf(i), (done) => {
      this.monitor.status = () => `connected ${done}/${accounts.length}`;
    });
    const seconds = (performance.now() - t0) / 1000;
    this.monitor.log(`connected ${this.fleet.openCount} devices in ${seconds.toFixed(1)} s (${this.fleet.connectFailures} failed)`);
  }

  /** Sends in flight on all devices. */
  sendsInFlight(): number {
    let n = 0;
    for (const c of this.fleet.clients) n += c.inFlight;
    return n;
  }

  /** Stops everything, writes the result file and prints the process/error tables; returns the file. */
  async finish(result: Record<string, unknown>, connectionsHeld?: number): Promise<string> {
    this.monitor.phase = 'stop';
    const servers = this.monitor.snapshot();
    await this.fleet.close();
    this.monitor.stop();
    const exit = this.child ? await this.child.stop() : undefined;
    const processes = servers.map((s: ProcSample) => ({
      name: this.target.processes.find((p) => p.pid === s.pid)?.name ?? String(s.pid),
      pid: s.pid,
      cpuSeconds: s.cpuSeconds,
      rssMb: s.rssBytes / 2 ** 20,
      peakRssMb: s.hwmBytes / 2 ** 20,
      perConnKb: connectionsHeld ? s.rssBytes / 1024 / connectionsHeld : undefined,
    }));
    const generator = { cpuSeconds: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6, rssMb: process.memoryUsage().rss / 2 ** 20 };
    const errors: Record<string, number> = {
      ...Object.fromEntries(this.ledger.errors),
      connectFailures: this.fleet.connectFailures,
      ...Object.fromEntries([...this.fleet.connectErrors].map(([k, n]) => [`connect: ${k}`, n])),
      requestTimeouts: this.fleet.timeouts,
      unexpectedCloses: this.fleet.closedUnexpectedly,
    };
    const file = writeResult(this.scenario, {
      scenario: this.scenario,
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: machineInfo(),
      target: this.child ? { kind: 'embedded child', pid: this.child.pid, openFiles: openFileLimit(this.child.pid) } : { kind: 'external', ...this.target, adminSecret: undefined },
      options: { ...this.options, external: undefined },
      ...result,
      processes,
      generator,
      serverExit: exit,
      othersCpuSeconds: Math.round(this.monitor.othersCpuSeconds),
      errors,
      timeline: this.monitor.timeline.map(({ line: _line, ...point }) => point),
    }, this.options.outDir);
    printProcesses([...processes, { name: 'load generator', pid: process.pid, cpuSeconds: generator.cpuSeconds, rssMb: generator.rssMb, peakRssMb: generator.rssMb, perConnKb: undefined }]);
    printErrors(errors);
    process.stdout.write(`\nresult: ${file}\n`);
    return file;
  }
}
