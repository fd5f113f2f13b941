import { APP_DEADLINES_MS, APP_REQUEST_KINDS, appRequestBody, friendRequestBody, type AppRequestKind, type AppView } from './app-requests.ts';
import type { BenchClient } from './bench-client.ts';
import { Histogram, type HistogramSummary } from './histogram.ts';
import { createGroup, makeFriends } from './provision.ts';
import type { Target } from './target.ts';

export interface AppTrafficOptions {
  /** app devices, as a share of the scenario's online devices (0 = no app traffic) */
  share: number;
  /** requests per second of each kind, spread over the app devices */
  ratePerKind: number;
}

/** How many app devices a scenario with `online` devices gets (0: none). */
export function appDeviceCount(options: AppTrafficOptions, online: number): number {
  if (options.share <= 0 || options.ratePerKind <= 0) return 0;
  return Math.max(2, Math.round(options.share * online));
}

/** One step's app requests: latency from each request's scheduled time, as for messages. */
export interface AppStep {
  readonly latency: Map<AppRequestKind, Histogram>;
  readonly failed: Map<AppRequestKind, number>;
}

export interface AppKindReport extends HistogramSummary {
  failed: number;
  deadlineMs: number;
  /** p99 inside the app's deadline and nothing failed */
  within: boolean;
}

export type AppStepReport = Partial<Record<AppRequestKind, AppKindReport>>;

const FRIENDS_PER_DEVICE = 5;
const MAX_APP_GROUP = 200;
const PROVISION_CONCURRENCY = 16;
const TICK_MS = 2;

/**
 * The app's blocking requests (UPUI, GPGI, GPGM, FP, FRP, GMURL) sent by app devices while a scenario's
 * messages flow, in an open loop like the messages, so the bench can tell whether the app's deadlines hold
 * at the rates it sustains. Setup gives each app device friends, a pending friend request and a group, so
 * the answers carry what a user's screen would show. Runs inside app-worker.ts, next to its own devices.
 */
export class AppTraffic {
  readonly options: AppTrafficOptions;
  private readonly clients: BenchClient[];
  private readonly views: AppView[] = [];

  private constructor(options: AppTrafficOptions, clients: BenchClient[]) {
    this.options = options;
    this.clients = clients;
  }

  /** Provisions the open devices; `gid` is the group they open (undefined: one is made of them). */
  static async prepare(target: Target, clients: readonly BenchClient[], options: AppTrafficOptions, gid: string | undefined): Promise<AppTraffic> {
    const traffic = new AppTraffic(options, clients.filter((c) => c.open));
    if (traffic.clients.length < 2) throw new Error(`app traffic needs 2 open devices, has ${traffic.clients.length}`);
    await traffic.provision(target, gid);
    return traffic;
  }

  /**
   * Sends the app requests for `durationMs`; each is due at start + k/rate whatever happened before. Ends
   * when the last one is answered (or failed: the fleet times requests out).
   */
  async run(durationMs: number): Promise<AppStep> {
    const step: AppStep = { latency: new Map(APP_REQUEST_KINDS.map((k) => [k, new Histogram()])), failed: new Map(APP_REQUEST_KINDS.map((k) => [k, 0])) };
    const rate = this.options.ratePerKind * APP_REQUEST_KINDS.length;
    const interval = 1000 / rate;
    const total = Math.floor((rate * durationMs) / 1000);
    const start = performance.now();
    let issued = 0;
    let outstanding = 0;
    await new Promise<void>((resolve) => {
      const settled = () => {
        outstanding -= 1;
        if (outstanding === 0 && issued >= total) resolve();
      };
      const tick = () => {
        const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
        for (; issued < due; issued++) {
          outstanding += 1;
          this.issue(step, issued, start + issued * interval, settled);
        }
        if (issued < total) setTimeout(tick, TICK_MS);
        else if (outstanding === 0) resolve();
      };
      tick();
    });
    return step;
  }

  private issue(step: AppStep, k: number, scheduledAt: number, settled: () => void): void {
    const kind = APP_REQUEST_KINDS[k % APP_REQUEST_KINDS.length]!;
    const device = Math.floor(k / APP_REQUEST_KINDS.length) % this.clients.length;
    const client = this.clients[device]!;
    client.request(kind, appRequestBody(kind, this.views[device]!, Date.now()), (ok, _error, empty) => {
      // every screen the bench opens has something on it: an empty answer is as wrong as an error
      if (ok && !empty) step.latency.get(kind)!.record((performance.now() - scheduledAt) * 1000);
      else step.failed.set(kind, step.failed.get(kind)! + 1);
      settled();
    });
  }

  private async provision(target: Target, gid: string | undefined): Promise<void> {
    const uids = this.clients.map((c) => c.account.uid);
    const n = uids.length;
    const friendsPerDevice = Math.min(FRIENDS_PER_DEVICE, Math.floor((n - 1) / 2));
    const groupId = gid ?? (await createGroup(target, uids.slice(0, MAX_APP_GROUP), 'bench app group'));
    for (let i = 0; i < n; i++) {
      const friends = Array.from({ length: friendsPerDevice * 2 }, (_, d) => uids[(i + n + (d < friendsPerDevice ? d + 1 : friendsPerDevice - d - 1)) % n]!);
      this.views.push({ self: uids[i]!, users: friends, gid: groupId });
    }
    const pairs: [string, string][] = [];
    for (let i = 0; i < n; i++) for (let d = 1; d <= friendsPerDevice; d++) pairs.push([uids[i]!, uids[(i + d) % n]!]);
    await inBatches(pairs, PROVISION_CONCURRENCY, ([a, b]) => makeFriends(target, a, b));
    // a pending request for FRP to return: each device asks the one beyond its friends
    await inBatches(this.clients, PROVISION_CONCURRENCY, (client, i) => new Promise<void>((resolve, reject) => {
      client.request('FAR', friendRequestBody(uids[(i + friendsPerDevice + 1) % n]!), (ok, error) => (ok ? resolve() : reject(new Error(`FAR: ${error ?? 'refused'}`))));
    }));
  }
}

export function appStepReport(step: AppStep): AppStepReport {
  const report: AppStepReport = {};
  for (const kind of APP_REQUEST_KINDS) {
    const summary = step.latency.get(kind)!.summaryMs();
    const failed = step.failed.get(kind)!;
    const deadlineMs = APP_DEADLINES_MS[kind];
    report[kind] = { ...summary, failed, deadlineMs, within: failed === 0 && summary.p99 <= deadlineMs };
  }
  return report;
}

/** "GPGM p99 612 ms > 500" for each kind outside its deadline. */
export function appDeadlineMisses(report: AppStepReport): string[] {
  const misses: string[] = [];
  for (const [kind, r] of Object.entries(report)) {
    if (r.within) continue;
    misses.push(r.failed > 0 ? `${kind} ${r.failed} failed` : `${kind} p99 ${r.p99} ms > ${r.deadlineMs}`);
  }
  return misses;
}

async function inBatches<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
