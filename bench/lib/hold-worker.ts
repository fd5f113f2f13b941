// A child process of the `connections` scenario: connects its share of the devices and holds them with
// heartbeats. One process can only open as many sockets as its RLIMIT_NOFILE allows, so a count above it
// is spread over several of these (see holders.ts). Talks to the parent over the IPC channel.
import type { Account, Transport } from './bench-client.ts';
import { Fleet, type FleetOptions } from './fleet.ts';
import type { Target } from './target.ts';

export interface HoldJob {
  target: Target;
  fleet: FleetOptions;
  accounts: Account[];
  /** index of the first account in the whole run: transports, endpoints and source addresses follow it */
  indexBase: number;
  transport: 'tcp' | 'ws' | 'mixed';
}

export type HoldReport =
  | { type: 'progress'; done: number }
  | { type: 'connected'; open: number; failures: number; errors: Record<string, number> }
  | { type: 'open'; open: number; timeouts: number; closedUnexpectedly: number };

export type HoldCommand = { type: 'job'; job: HoldJob } | { type: 'count' } | { type: 'stop' };

const send = (report: HoldReport): void => {
  process.send?.(report);
};

let fleet: Fleet | undefined;

process.on('message', (command: HoldCommand) => {
  void (async () => {
    if (command.type === 'job') {
      const { job } = command;
      fleet = new Fleet(job.target, { ...job.fleet, indexBase: job.indexBase }, () => {});
      const transportOf = (i: number): Transport => (job.transport === 'mixed' ? (i % 2 === 0 ? 'ws' : 'tcp') : job.transport);
      await fleet.connectAll(job.accounts, transportOf, (done) => send({ type: 'progress', done }));
      send({ type: 'connected', open: fleet.openCount, failures: fleet.connectFailures, errors: Object.fromEntries(fleet.connectErrors) });
    } else if (command.type === 'count') {
      send({ type: 'open', open: fleet?.openCount ?? 0, timeouts: fleet?.timeouts ?? 0, closedUnexpectedly: fleet?.closedUnexpectedly ?? 0 });
    } else {
      await fleet?.close();
      process.exit(0);
    }
  })();
});
// the parent going away ends this process too
process.on('disconnect', () => process.exit(0));
