import { fork, type ChildProcess } from 'node:child_process';
import type { Account } from './bench-client.ts';
import type { FleetOptions } from './fleet.ts';
import type { HoldCommand, HoldJob, HoldReport } from './hold-worker.ts';
import type { Target } from './target.ts';

const WORKER = new URL('./hold-worker.ts', import.meta.url);

/**
 * Devices held by several generator processes (hold-worker.ts), for more connections than one process may
 * open. Each gets a contiguous share of the accounts; reports come back over IPC.
 */
export class Holders {
  private readonly workers: ChildProcess[];
  readonly failures: number;
  readonly errors: Map<string, number>;

  private constructor(workers: ChildProcess[], failures: number, errors: Map<string, number>) {
    this.workers = workers;
    this.failures = failures;
    this.errors = errors;
  }

  static async connect(
    target: Target,
    fleet: FleetOptions,
    transport: HoldJob['transport'],
    accounts: Account[],
    processes: number,
    onProgress: (done: number) => void,
  ): Promise<Holders> {
    const share = Math.ceil(accounts.length / processes);
    const workers: ChildProcess[] = [];
    const progress: number[] = [];
    const connected = [];
    for (let w = 0; w < processes; w++) {
      const worker = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      workers.push(worker);
      progress.push(0);
      const slice = accounts.slice(w * share, (w + 1) * share);
      connected.push(new Promise<Extract<HoldReport, { type: 'connected' }>>((resolve, reject) => {
        worker.on('message', (report: HoldReport) => {
          if (report.type === 'progress') {
            progress[w] = report.done;
            onProgress(progress.reduce((a, b) => a + b, 0));
          } else if (report.type === 'connected') {
            resolve(report);
          }
        });
        worker.once('exit', (code) => reject(new Error(`device holder ${w} exited (${code}) while connecting`)));
      }));
      const job: HoldJob = { target: { ...target, probe: undefined }, fleet, accounts: slice, indexBase: w * share, transport };
      worker.send({ type: 'job', job } satisfies HoldCommand);
    }
    const reports = await Promise.all(connected);
    const errors = new Map<string, number>();
    for (const r of reports) for (const [k, n] of Object.entries(r.errors)) errors.set(k, (errors.get(k) ?? 0) + n);
    return new Holders(workers, reports.reduce((n, r) => n + r.failures, 0), errors);
  }

  /** Devices still open, over all holders. */
  async openCount(): Promise<number> {
    const counts = await Promise.all(this.workers.map((worker) => new Promise<number>((resolve) => {
      const onMessage = (report: HoldReport) => {
        if (report.type !== 'open') return;
        worker.off('message', onMessage);
        resolve(report.open);
      };
      worker.on('message', onMessage);
      worker.send({ type: 'count' } satisfies HoldCommand);
    })));
    return counts.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => new Promise<void>((resolve) => {
      if (worker.exitCode !== null) return resolve();
      worker.once('exit', () => resolve());
      worker.send({ type: 'stop' } satisfies HoldCommand);
      setTimeout(() => worker.kill('SIGKILL'), 10_000).unref();
    })));
  }
}
