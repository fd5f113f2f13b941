// A worker thread of the load generator: the app devices and their blocking requests (app-traffic.ts).
// On their own event loop, so the answers are timed when they arrive, not after the main fleet's
// thousand pull answers of a group message have been parsed.
import { parentPort, workerData } from 'node:worker_threads';
import { AppTraffic, appStepReport, type AppStepReport, type AppTrafficOptions } from './app-traffic.ts';
import type { Account, Transport } from './bench-client.ts';
import { Fleet, type FleetOptions } from './fleet.ts';
import type { Target } from './target.ts';

export interface AppJob {
  target: Target;
  fleet: FleetOptions;
  accounts: Account[];
  transport: 'tcp' | 'ws' | 'mixed';
  options: AppTrafficOptions;
  gid: string | undefined;
}

export type AppCommand = { type: 'run'; durationMs: number } | { type: 'stop' };

export type AppReport =
  | { type: 'ready'; devices: number; connectFailures: number }
  | { type: 'step'; report: AppStepReport }
  | { type: 'failed'; error: string };

const port = parentPort!;
const job = workerData as AppJob;
const post = (report: AppReport): void => port.postMessage(report);

const fleet = new Fleet(job.target, job.fleet, () => {});
const transportOf = (i: number): Transport => (job.transport === 'mixed' ? (i % 2 === 0 ? 'ws' : 'tcp') : job.transport);

try {
  await fleet.connectAll(job.accounts, transportOf);
  const traffic = await AppTraffic.prepare(job.target, fleet.clients, job.options, job.gid);
  port.on('message', (command: AppCommand) => {
    if (command.type === 'run') {
      void traffic.run(command.durationMs).then((step) => post({ type: 'step', report: appStepReport(step) }));
    } else {
      void fleet.close().then(() => port.close());
    }
  });
  post({ type: 'ready', devices: fleet.openCount, connectFailures: fleet.connectFailures });
} catch (err) {
  post({ type: 'failed', error: (err as Error).message });
  await fleet.close();
  port.close();
}
