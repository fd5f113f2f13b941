import { AppDevices } from '../lib/app-devices.ts';
import { appDeviceCount, type AppTrafficOptions } from '../lib/app-traffic.ts';
import type { RunContext } from '../lib/context.ts';
import { ConversationType } from '../lib/conversation.ts';
import { drain, type Sender } from '../lib/driver.ts';
import { createGroup } from '../lib/provision.ts';
import { printAppRequests, printSteps, printVerification, verification, type StepReport } from '../lib/report.ts';
import { runSteps, type SteppingOptions } from './stepping.ts';

export interface GroupOptions extends SteppingOptions {
  members: number;
  online: number;
  senders: number;
  /** a last step at this rate, judged on its own (OpenIM's published 500 msg/s point); 0 = skip */
  pointRate: number;
  app: AppTrafficOptions;
}

/**
 * One big group; `online` of its members have a device connected, `senders` of those send. Every
 * message must reach every other online member (Σ online receivers × messages); offline members get
 * it on their next pull, which this scenario does not measure. The rate is stepped; the result is the
 * deliveries/s of the highest step whose p99 send→delivered stays within the limit. App devices (a share of
 * `online` more members, not counted in deliveries/s) send the app's blocking requests meanwhile, opening the
 * big group (GPGM: all its members).
 */
export async function group(ctx: RunContext, opts: GroupOptions): Promise<Record<string, unknown>> {
  const online = Math.min(opts.online, opts.members);
  const appCount = appDeviceCount(opts.app, online);
  const all = await ctx.login(opts.members + appCount);
  const accounts = all.slice(0, opts.members);
  ctx.monitor.phase = 'group';
  const t0 = performance.now();
  const gid = await createGroup(ctx.target, all.map((a) => a.uid), 'bench group');
  ctx.monitor.log(`group ${gid} with ${opts.members} members created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await ctx.connect(accounts.slice(0, online));
  const onlineClients = Array.from({ length: online }, (_, i) => i);
  const senders: Sender[] = [];
  for (let i = 0; i < Math.min(opts.senders, online); i++) {
    ctx.ledger.setReceivers(i, onlineClients.filter((c) => c !== i));
    senders.push({ id: i, client: () => ctx.fleet.clients[i]!, convType: ConversationType.GROUP, target: gid });
  }
  const app = appCount > 0 ? await AppDevices.start(ctx, all.slice(opts.members), opts.app, gid) : undefined;
  const { steps, best } = await runSteps(ctx, senders, opts, online - 1, app);
  let point: StepReport | undefined;
  if (opts.pointRate > 0 && ctx.timeLeftMs > (opts.stepSeconds + opts.drainSeconds) * 1000) {
    const pointRun = await runSteps(ctx, senders, { ...opts, rates: [opts.pointRate], warmupSeconds: 0, continueAfterFail: 0 }, online - 1, app);
    point = pointRun.steps[0];
    if (point) steps.push({ ...point, note: `${point.note ?? ''} (point ${opts.pointRate}/s)`.trim() });
  }
  await app?.close();
  ctx.monitor.phase = 'verify';
  ctx.fleet.pullAll();
  await drain(ctx.ledger, () => ctx.sendsInFlight(), 30_000, 5000);
  const v = verification(ctx.ledger);
  printSteps(steps);
  printAppRequests(steps);
  printVerification(v);
  process.stdout.write(`\nhighest step with p99 send→delivered ≤ ${opts.p99LimitMs} ms: ${best ? `${best.offeredRate} msg/s = ${best.deliveriesPerSec} deliveries/s (p99 ${best.deliveredMs.p99} ms)` : 'none'}\n`);
  if (point) process.stdout.write(`${opts.pointRate} msg/s point: ${point.pass ? 'holds' : `does not hold (${point.note})`}; acked ${point.achievedRate} msg/s, ${point.deliveriesPerSec} deliveries/s, p99 ${point.deliveredMs.p99} ms\n`);
  return {
    params: { ...opts, online, groupId: gid, appDevices: app?.devices ?? 0 },
    summary: {
      highestPassingRate: best?.offeredRate ?? 0,
      deliveriesPerSecAtP99Limit: best?.deliveriesPerSec ?? 0,
      atThatRate: best,
      point: point && { rate: opts.pointRate, holds: point.pass, ...point },
      ackMs: ctx.ledger.ack.summaryMs(),
      deliveredMs: ctx.ledger.delivered.summaryMs(),
    },
    verification: v,
    steps,
  };
}
