import { ConversationType } from '../lib/conversation.ts';
import type { RunContext } from '../lib/context.ts';
import { drain, type Sender } from '../lib/driver.ts';
import { printSteps, printVerification, verification } from '../lib/report.ts';
import { runSteps, type SteppingOptions } from './stepping.ts';

export interface P2pOptions extends SteppingOptions {
  users: number;
}

/**
 * Users in pairs (2k ↔ 2k+1), each device online; every user sends to its partner. The rate is stepped
 * until p99 send→delivered exceeds the limit; the highest passing rate is the result.
 */
export async function p2p(ctx: RunContext, opts: P2pOptions): Promise<Record<string, unknown>> {
  const users = opts.users - (opts.users % 2);
  const accounts = await ctx.login(users);
  await ctx.connect(accounts);
  const senders: Sender[] = [];
  for (let i = 0; i < users; i++) {
    const partner = i ^ 1;
    ctx.ledger.setReceivers(i, [partner]);
    senders.push({ id: i, client: () => ctx.fleet.clients[i]!, convType: ConversationType.PRIVATE, target: accounts[partner]!.uid });
  }
  const { steps, best } = await runSteps(ctx, senders, opts, 1);
  ctx.monitor.phase = 'verify';
  ctx.fleet.pullAll();
  await drain(ctx.ledger, () => ctx.sendsInFlight(), 15_000, 3000);
  const v = verification(ctx.ledger);
  printSteps(steps);
  printVerification(v);
  process.stdout.write(`\nhighest sustained rate with p99 send→delivered ≤ ${opts.p99LimitMs} ms: ${best ? `${best.offeredRate} msg/s (p99 ${best.deliveredMs.p99} ms)` : 'none'}\n`);
  return {
    params: { ...opts, users, devicesOnline: ctx.fleet.openCount },
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
