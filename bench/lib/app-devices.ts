import { Worker } from 'node:worker_threads';
import type { AppCommand, AppJob, AppReport } from './app-worker.ts';
import type { AppStepReport, AppTrafficOptions } from './app-traffic.ts';
import type { Account } from './bench-client.ts';
import type { RunContext } from './context.ts';

const WORKER = new URL('./app-worker.ts', import.meta.url);

/** The app devices on their worker thread (app-worker.ts): one step of their requests at a time. */
export class AppDevices {
  readonly devices: number;
  private readonly worker: Worker;

  private constructor(worker: Worker, devices: number) {
    this.worker = worker;
    this.devices = devices;
  }

  /** Connects and provisions the app devices; `gid`: the group they open (undefined: one made of them). */
  static async start(ctx: RunContext, accounts: Account[], options: AppTrafficOptions, gid: string | undefined): Promise<AppDevices> {
    const job: AppJob = {
      target: { ...ctx.target, probe: undefined },
      fleet: { ...ctx.fleet.options, indexBase: ctx.fleet.clients.length },
      accounts,
      transport: ctx.options.transport,
      options,
      gid,
    };
    const worker = new Worker(WORKER, { workerData: job });
    const ready = await nextReport(worker);
    if (ready.type !== 'ready') {
      await worker.terminate();
      throw new Error(`app devices: ${ready.type === 'failed' ? ready.error : 'unexpected report'}`);
    }
    ctx.monitor.log(`app devices: ${ready.devices} connected (${ready.connectFailures} failed), sending ${options.ratePerKind}/s of each blocking request`);
    return new AppDevices(worker, ready.devices);
  }

  async run(durationMs: number): Promise<AppStepReport> {
    const report = nextReport(this.worker);
    this.worker.postMessage({ type: 'run', durationMs } satisfies AppCommand);
    const step = await report;
    if (step.type !== 'step') throw new Error(`app devices: ${step.type === 'failed' ? step.error : 'unexpected report'}`);
    return step.report;
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'stop' } satisfies AppCommand);
    const timer = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function nextReport(worker: Worker): Promise<AppReport> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`app device thread exited (${code})`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (report: AppReport) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(report);
    });
  });
}
