import { AppDevices } from '../lib/app-devices.ts';
import { appDeviceCount, type AppTrafficOptions } from '../lib/app-traffic.ts';
import { ConversationType } from '../lib/conversation.ts';
import type { RunContext } from '../lib/context.ts';
import { drain, type Sender } from '../lib/driver.ts';
import { printAppRequests, printSteps, printVerification, verification } from '../lib/report.ts';
import { runSteps, type SteppingOptions } from './stepping.ts';

export interface P2pOptions extends SteppingOptions {
  users: number;
  app: AppTrafficOptions;
}

/**
 * Users in pairs (2k ↔ 2k+1), each device online; every user sends to its partner. The rate is stepped
 * until p99 send→delivered exceeds the limit; the highest passing rate is the result. App devices (a share
 * more) send the app's blocking requests meanwhile; their group is one made of them.
 */
export async function p2p(ctx: RunContext, opts: P2pOptions): Promise<Record<string, unknown>> {
  const users = opts.users - (opts.users % 2);
  const appCount = appDeviceCount(opts.app, users);
  const all = await ctx.login(users + appCount);
  const accounts = all.slice(0, users);
  await ctx.connect(accounts);
  const senders: Sender[] = [];
  for (let i = 0; i < users; i++) {
    const partner = i ^ 1;
    ctx.ledger.setReceivers(i, [partner]);
    senders.push({ id: i, client: () => ctx.fleet.clients[i]!, convType: ConversationType.PRIVATE, target: accounts[partner]!.uid });
  }
  const app = appCount > 0 ? await AppDevices.start(ctx, all.slice(users), opts.app, undefined) : undefined;
  const { steps, best } = await runSteps(ctx, senders, opts, 1, app);
  await app?.close();
  ctx.monitor.phase = 'verify';
  ctx.fleet.pullAll();
  await drain(ctx.ledger, () => ctx.sendsInFlight(), 15_000, 3000);
  const v = verification(ctx.ledger);
  printSteps(steps);
  printAppRequests(steps);
  printVerification(v);
  process.stdout.write(`\nhighest sustained rate with p99 send→delivered ≤ ${opts.p99LimitMs} ms: ${best ? `${best.offeredRate} msg/s (p99 ${best.deliveredMs.p99} ms)` : 'none'}\n`);
  return {
    params: { ...opts, users, devicesOnline: ctx.fleet.openCount, appDevices: app?.devices ?? 0 },
    summary: {
      highestSustainedRate: best?.offeredRate ?? 0,
      atThatRate: best,
      ackMs: ctx.ledger.ack.summaryMs(),
      deliveredMs: ctx.ledger.delivered.summaryMs(),
    },
    verification: v,
    steps,
  };
}
