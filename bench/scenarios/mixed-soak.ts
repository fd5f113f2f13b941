import type { RunContext } from '../lib/context.ts';
import { ConversationType } from '../lib/conversation.ts';
import { drain, sendAtRate, type Sender } from '../lib/driver.ts';
import { round1 } from '../lib/monitor.ts';
import { createGroup } from '../lib/provision.ts';
import { printTable, printVerification, stepReport, verification, type StepReport } from '../lib/report.ts';

export interface MixedSoakOptions {
  users: number;
  groupMembers: number;
  p2pRate: number;
  groupRate: number;
  groupSenders: number;
  /** devices closed abruptly and reconnected per second (they pull from their stored cursor) */
  churnPerSec: number;
  durationSeconds: number;
  windowSeconds: number;
  maxInFlight: number;
}

/**
 * Everything at once for a bounded time: 1:1 pairs at a fixed rate, one group (all members online) at
 * a fixed rate, and reconnect churn. Reconnected devices pull from their stored cursor, so a message
 * sent while a device was away must still arrive, exactly once and in order. Reports each window's
 * latency (drift) and the server's RSS over time (growth).
 */
export async function mixedSoak(ctx: RunContext, opts: MixedSoakOptions): Promise<Record<string, unknown>> {
  const users = opts.users - (opts.users % 2);
  const accounts = await ctx.login(users);
  const members = Math.min(opts.groupMembers, users);
  const gid = await createGroup(ctx.target, accounts.slice(0, members).map((a) => a.uid), 'soak group');
  await ctx.connect(accounts);

  const p2pSenders: Sender[] = [];
  for (let i = 0; i < users; i++) {
    ctx.ledger.setReceivers(i, [i ^ 1]);
    p2pSenders.push({ id: i, client: () => ctx.fleet.clients[i]!, convType: ConversationType.PRIVATE, target: accounts[i ^ 1]!.uid });
  }
  // group senders get their own ledger ids (after the users), so their per-sender order is their group sends
  const groupSenders: Sender[] = [];
  const memberClients = Array.from({ length: members }, (_, i) => i);
  for (let k = 0; k < Math.min(opts.groupSenders, members); k++) {
    const id = users + k;
    ctx.ledger.setReceivers(id, memberClients.filter((c) => c !== k));
    groupSenders.push({ id, client: () => ctx.fleet.clients[k]!, convType: ConversationType.GROUP, target: gid });
  }

  let reconnects = 0;
  let reconnectFailures = 0;
  let churning = true;
  const churn = (async () => {
    while (churning) {
      await new Promise((r) => setTimeout(r, 1000));
      for (let i = 0; i < opts.churnPerSec && churning; i++) {
        const index = Math.floor(Math.random() * ctx.fleet.clients.length);
        void ctx.fleet.reconnect(index).then((ok) => (ok ? reconnects++ : reconnectFailures++));
      }
    }
  })();

  const windows: { window: number; p2p: StepReport; group: StepReport; serverRssMb: number; serverCpuPct: number }[] = [];
  const rss0 = ctx.monitor.totals();
  const durationMs = Math.min(opts.durationSeconds * 1000, Math.max(0, ctx.timeLeftMs - 60_000));
  const t0 = performance.now();
  for (let w = 0; performance.now() - t0 < durationMs; w++) {
    ctx.monitor.phase = `window ${w}`;
    const cpu0 = ctx.monitor.totals().cpuSeconds;
    const tw = performance.now();
    const windowMs = Math.min(opts.windowSeconds * 1000, durationMs - (tw - t0));
    if (windowMs < 1000) break;
    const [p2p, grp] = await Promise.all([
      sendAtRate(ctx.ledger, p2pSenders, {
        rate: opts.p2pRate, durationMs: windowMs, maxInFlight: opts.maxInFlight,
        onTick: (s) => {
          ctx.monitor.status = () => `p2p sent ${s.sent} deliv ${s.deliveries} p99 ${s.delivered.summaryMs().p99}ms | reconnects ${reconnects} | outstanding ${ctx.ledger.outstanding()}`;
        },
      }),
      opts.groupRate > 0 && groupSenders.length > 0
        ? sendAtRate(ctx.ledger, groupSenders, { rate: opts.groupRate, durationMs: windowMs, maxInFlight: opts.maxInFlight })
        : Promise.resolve(undefined),
    ]);
    const totals = ctx.monitor.totals();
    const groupReport = grp ? stepReport(grp) : undefined;
    windows.push({
      window: w,
      p2p: stepReport(p2p),
      group: groupReport!,
      serverRssMb: round1(totals.rssBytes / 2 ** 20),
      serverCpuPct: Math.round(((totals.cpuSeconds - cpu0) / ((performance.now() - tw) / 1000)) * 100),
    });
  }
  churning = false;
  await churn;
  await new Promise((r) => setTimeout(r, 2000));
  ctx.monitor.phase = 'verify';
  const reopened = await ctx.fleet.reopenAll();
  if (reopened > 0) ctx.monitor.log(`reopened ${reopened} devices whose reconnect had failed`);
  ctx.fleet.pullAll();
  await drain(ctx.ledger, () => ctx.sendsInFlight(), 30_000, 5000);
  // windows are judged after the drain: late deliveries of a window count in its histogram
  for (const w of windows) {
    const p = ctx.ledger.steps[w.p2p.step];
    if (p) w.p2p = stepReport(p);
    const g = w.group ? ctx.ledger.steps[w.group.step] : undefined;
    if (g) w.group = stepReport(g);
  }
  const v = verification(ctx.ledger);
  const lostDetail = v.lostSamples.map((l) => {
    const c = ctx.fleet.clients[l.receiver];
    return { ...l, receiverUid: c?.account.uid, transport: c?.transport, open: c?.open, cursor: c?.cursor, pulls: c?.pulls };
  });
  if (lostDetail.length > 0) ctx.monitor.log(`lost (first ${lostDetail.length}): ${JSON.stringify(lostDetail)}`);
  const rssEnd = ctx.monitor.totals();
  printTable('windows (ms from scheduled send)', ['window', 'p2p acked/s', 'p2p deliv p50', 'p99', 'max', 'group deliv/s', 'group p50', 'p99', 'max', 'srv cpu%', 'srv rss MB'], windows.map((w) => [
    w.window, w.p2p.achievedRate, w.p2p.deliveredMs.p50, w.p2p.deliveredMs.p99, w.p2p.deliveredMs.max,
    w.group?.deliveriesPerSec ?? '', w.group?.deliveredMs.p50 ?? '', w.group?.deliveredMs.p99 ?? '', w.group?.deliveredMs.max ?? '', w.serverCpuPct, w.serverRssMb,
  ]));
  printVerification(v);
  const first = windows[0];
  const last = windows.at(-1);
  const summary = {
    windows: windows.length,
    reconnects,
    reconnectFailures,
    p2pP99FirstMs: first?.p2p.deliveredMs.p99,
    p2pP99LastMs: last?.p2p.deliveredMs.p99,
    groupP99FirstMs: first?.group?.deliveredMs.p99,
    groupP99LastMs: last?.group?.deliveredMs.p99,
    serverRssStartMb: round1(rss0.rssBytes / 2 ** 20),
    serverRssEndMb: round1(rssEnd.rssBytes / 2 ** 20),
    serverRssGrowthMb: round1((rssEnd.rssBytes - rss0.rssBytes) / 2 ** 20),
    ackMs: ctx.ledger.ack.summaryMs(),
    deliveredMs: ctx.ledger.delivered.summaryMs(),
  };
  process.stdout.write(`\nlatency drift p99 p2p ${summary.p2pP99FirstMs} → ${summary.p2pP99LastMs} ms, group ${summary.groupP99FirstMs} → ${summary.groupP99LastMs} ms; server RSS ${summary.serverRssStartMb} → ${summary.serverRssEndMb} MB; ${reconnects} reconnects\n`);
  return { params: { ...opts, users, groupMembers: members, groupId: gid }, summary, verification: { ...v, lostDetail }, windows };
}
