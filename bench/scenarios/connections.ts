import type { RunContext } from '../lib/context.ts';
import { round1 } from '../lib/monitor.ts';
import { printTable } from '../lib/report.ts';
import { openFileLimit } from '../lib/proc-stats.ts';
import type { HeapSample } from '../lib/target.ts';
import { Holders } from '../lib/holders.ts';

/** fds a process needs besides its connections (listeners, SQLite, logs, timers) */
const FD_RESERVE = 300;

export interface ConnectionsOptions {
  count: number;
  holdSeconds: number;
  /** most devices one generator process holds (default: its fd limit minus a reserve) */
  perGenerator?: number;
}

/**
 * Ramps `count` idle devices (WS and TCP, spread over several 127.0.0.x source addresses), holds them
 * with heartbeats on, and reports the server's memory per connection (RSS and, for the bench's own
 * child, V8 heap after a full GC) and its CPU while idle. Every device must still be open at the end.
 */
export async function connections(ctx: RunContext, opts: ConnectionsOptions): Promise<Record<string, unknown>> {
  // Each device is a socket in the generator and in the server process that holds it. The generator spreads
  // devices over as many processes as its fd limit needs; the server side is what it is: one process in
  // embedded mode, the connectors (devices round-robin over them) in cluster mode.
  const ownLimit = openFileLimit('self')?.[0] ?? 1024;
  const holdersOnServer = ctx.target.processes.filter((p) => p.name.startsWith('push-connector'));
  const serverHolders = holdersOnServer.length > 0 ? holdersOnServer : ctx.target.processes;
  const serverLimits = serverHolders.map((p) => openFileLimit(p.pid)?.[0]).filter((l): l is number => l !== undefined);
  const serverCap = serverLimits.length > 0 ? (Math.min(...serverLimits) - FD_RESERVE) * serverHolders.length : Number.POSITIVE_INFINITY;
  const cappedBy = opts.count > serverCap
    ? `RLIMIT_NOFILE ${Math.min(...serverLimits)} per server process × ${serverHolders.length} (the hard limit here; raising it needs CAP_SYS_RESOURCE)`
    : undefined;
  if (cappedBy) {
    ctx.monitor.log(`capping ${opts.count} connections to ${serverCap}: ${cappedBy}`);
    opts = { ...opts, count: serverCap };
  }
  const generators = Math.ceil(opts.count / Math.min(opts.perGenerator ?? Number.POSITIVE_INFINITY, ownLimit - FD_RESERVE));

  const accounts = await ctx.login(opts.count);
  const settle = () => new Promise<void>((r) => setTimeout(r, opts.count > 1000 ? 3000 : 500));
  await settle();
  const before = { ...ctx.monitor.totals(), heap: await ctx.target.probe?.() };
  const beforeHolders = rssOf(ctx, serverHolders);
  ctx.monitor.phase = 'connect';
  const t0 = performance.now();
  let holders: Holders | undefined;
  let openCount: () => Promise<number>;
  if (generators > 1) {
    ctx.monitor.log(`${opts.count} devices over ${generators} generator processes (${ownLimit} fds each)`);
    holders = await Holders.connect(ctx.target, ctx.fleet.options, ctx.options.transport, accounts, generators, (done) => {
      ctx.monitor.status = () => `connected ${done}/${accounts.length}`;
    });
    const h = holders;
    openCount = () => h.openCount();
  } else {
    await ctx.connect(accounts);
    openCount = async () => ctx.fleet.openCount;
  }
  try {
    const rampSeconds = (performance.now() - t0) / 1000;
    const connected = await openCount();
    ctx.monitor.log(`connected ${connected} devices in ${rampSeconds.toFixed(1)} s`);
    await settle();
    const after = { ...ctx.monitor.totals(), heap: await ctx.target.probe?.() };
    const afterHolders = rssOf(ctx, serverHolders);

    ctx.monitor.phase = 'hold';
    const holdStart = ctx.monitor.totals();
    const holdT0 = performance.now();
    const holdMs = Math.min(opts.holdSeconds * 1000, Math.max(0, ctx.timeLeftMs - 30_000));
    let open = connected;
    while (performance.now() - holdT0 < holdMs) {
      await new Promise((r) => setTimeout(r, 1000));
      if (holders) open = await openCount();
      else open = ctx.fleet.openCount;
      const now = open;
      ctx.monitor.status = () => `holding ${now}/${connected} open, ${Math.round((performance.now() - holdT0) / 1000)}/${Math.round(holdMs / 1000)} s`;
    }
    const holdEnd = ctx.monitor.totals();
    const holdSeconds = (performance.now() - holdT0) / 1000;
    const stillOpen = await openCount();
    const end = { ...holdEnd, heap: await ctx.target.probe?.() };
    if (holders && holders.failures > 0) {
      ctx.monitor.log(`connect failures: ${holders.failures} (${[...holders.errors].map(([k, n]) => `${n}× ${k}`).join('; ')})`);
    }
    return report(ctx, opts, {
      cappedBy, generators, connected, stillOpen, rampSeconds, before, after, end, holdStart, holdEnd, holdSeconds,
      holders: serverHolders.map((p) => p.name), holdersRss: [beforeHolders, afterHolders],
      failures: holders ? holders.failures : ctx.fleet.connectFailures,
      errors: Object.fromEntries(holders ? holders.errors : ctx.fleet.connectErrors),
    });
  } finally {
    await holders?.close();
  }
}

function rssOf(ctx: RunContext, processes: { pid: number }[]): number {
  const pids = new Set(processes.map((p) => p.pid));
  return ctx.monitor.snapshot().filter((s) => pids.has(s.pid)).reduce((n, s) => n + s.rssBytes, 0);
}

interface Measured {
  cappedBy: string | undefined;
  generators: number;
  connected: number;
  stillOpen: number;
  rampSeconds: number;
  before: { cpuSeconds: number; rssBytes: number; heap: HeapSample | undefined };
  after: { cpuSeconds: number; rssBytes: number; heap: HeapSample | undefined };
  end: { cpuSeconds: number; rssBytes: number; heap: HeapSample | undefined };
  holdStart: { cpuSeconds: number };
  holdEnd: { cpuSeconds: number };
  holdSeconds: number;
  /** the server processes that hold the connections, and their RSS before and after the ramp */
  holders: string[];
  holdersRss: [number, number];
  failures: number;
  errors: Record<string, number>;
}

function report(ctx: RunContext, opts: ConnectionsOptions, m: Measured): Record<string, unknown> {
  const { connected, stillOpen, rampSeconds, before, after, end, holdStart, holdEnd, holdSeconds, cappedBy } = m;
  const perConn = (a: number, b: number) => Math.round(((b - a) / 1024 / Math.max(1, connected)) * 100) / 100;
  const heapDelta = (key: keyof HeapSample) => (before.heap && after.heap ? perConn(before.heap[key], after.heap[key]) : undefined);
  const summary = {
    requested: opts.count,
    connected,
    stillOpenAfterHold: stillOpen,
    rampSeconds: round1(rampSeconds),
    rampPerSec: Math.round(connected / rampSeconds),
    rssBeforeMb: round1(before.rssBytes / 2 ** 20),
    rssAfterMb: round1(after.rssBytes / 2 ** 20),
    rssEndOfHoldMb: round1(end.rssBytes / 2 ** 20),
    rssPerConnKb: perConn(before.rssBytes, after.rssBytes),
    heapUsedPerConnKb: heapDelta('heapUsed'),
    externalPerConnKb: heapDelta('external'),
    heapBefore: before.heap,
    heapAfter: after.heap,
    heapEndOfHold: end.heap,
    holdSeconds: round1(holdSeconds),
    idleServerCpuPct: round1(((holdEnd.cpuSeconds - holdStart.cpuSeconds) / holdSeconds) * 100),
    heartbeatMs: ctx.options.heartbeatMs,
    transport: ctx.options.transport,
    sourceAddresses: ctx.options.sourceAddresses,
    generatorProcesses: m.generators,
    connectFailures: m.failures,
    connectErrors: m.errors,
    connectionHolders: m.holders,
    holdersRssPerConnKb: perConn(m.holdersRss[0], m.holdersRss[1]),
  };
  printTable('connections', ['held', 'ramp s', 'ramp/s', 'rss before MB', 'rss after MB', 'rss/conn KB', 'holders rss/conn KB', 'heap/conn KB', 'ext/conn KB', 'idle cpu %', 'open after hold'], [[
    `${connected}/${opts.count}`, summary.rampSeconds, summary.rampPerSec, summary.rssBeforeMb, summary.rssAfterMb, summary.rssPerConnKb, summary.holdersRssPerConnKb,
    summary.heapUsedPerConnKb ?? '', summary.externalPerConnKb ?? '', summary.idleServerCpuPct, stillOpen,
  ]]);
  const ok = connected === opts.count && stillOpen === connected;
  return { params: { ...opts, cappedBy }, summary, connectionsHeld: connected, verification: { ok, connected, stillOpen } };
}
