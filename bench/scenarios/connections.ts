import type { RunContext } from '../lib/context.ts';
import { round1 } from '../lib/monitor.ts';
import { printTable } from '../lib/report.ts';
import { openFileLimit } from '../lib/proc-stats.ts';
import type { HeapSample } from '../lib/target.ts';

/** fds a process needs besides its connections (listeners, SQLite, logs, timers) */
const FD_RESERVE = 300;

export interface ConnectionsOptions {
  count: number;
  holdSeconds: number;
}

/**
 * Ramps `count` idle devices (WS and TCP, spread over several 127.0.0.x source addresses), holds them
 * with heartbeats on, and reports the server's memory per connection (RSS and, for the bench's own
 * child, V8 heap after a full GC) and its CPU while idle. Every device must still be open at the end.
 */
export async function connections(ctx: RunContext, opts: ConnectionsOptions): Promise<Record<string, unknown>> {
  // each device is a socket in the generator and in the server: both processes need an fd per connection
  const limits = [openFileLimit('self'), ...ctx.target.processes.map((p) => openFileLimit(p.pid))].filter((l) => l !== undefined);
  const fdLimit = Math.min(...limits.map((l) => l[0]));
  const cap = fdLimit - FD_RESERVE;
  const cappedBy = opts.count > cap ? `RLIMIT_NOFILE ${fdLimit} (the hard limit here; raising it needs CAP_SYS_RESOURCE)` : undefined;
  if (cappedBy) {
    ctx.monitor.log(`capping ${opts.count} connections to ${cap}: ${cappedBy}`);
    opts = { ...opts, count: cap };
  }
  const accounts = await ctx.login(opts.count);
  const settle = () => new Promise<void>((r) => setTimeout(r, opts.count > 1000 ? 3000 : 500));
  await settle();
  const before = { ...ctx.monitor.totals(), heap: await ctx.target.probe?.() };
  const t0 = performance.now();
  await ctx.connect(accounts);
  const rampSeconds = (performance.now() - t0) / 1000;
  const connected = ctx.fleet.openCount;
  await settle();
  const after = { ...ctx.monitor.totals(), heap: await ctx.target.probe?.() };

  ctx.monitor.phase = 'hold';
  const holdStart = ctx.monitor.totals();
  const holdT0 = performance.now();
  const holdMs = Math.min(opts.holdSeconds * 1000, Math.max(0, ctx.timeLeftMs - 30_000));
  while (performance.now() - holdT0 < holdMs) {
    await new Promise((r) => setTimeout(r, 1000));
    ctx.monitor.status = () => `holding ${ctx.fleet.openCount}/${connected} open, ${Math.round((performance.now() - holdT0) / 1000)}/${Math.round(holdMs / 1000)} s`;
  }
  const holdEnd = ctx.monitor.totals();
  const holdSeconds = (performance.now() - holdT0) / 1000;
  const stillOpen = ctx.fleet.openCount;
  const end = { ...holdEnd, heap: await ctx.target.probe?.() };

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
  };
  printTable('connections', ['held', 'ramp s', 'ramp/s', 'rss before MB', 'rss after MB', 'rss/conn KB', 'heap/conn KB', 'ext/conn KB', 'idle cpu %', 'open after hold'], [[
    `${connected}/${opts.count}`, summary.rampSeconds, summary.rampPerSec, summary.rssBeforeMb, summary.rssAfterMb, summary.rssPerConnKb,
    summary.heapUsedPerConnKb ?? '', summary.externalPerConnKb ?? '', summary.idleServerCpuPct, stillOpen,
  ]]);
  const ok = connected === opts.count && stillOpen === connected;
  return { params: { ...opts, cappedBy }, summary, connectionsHeld: connected, verification: { ok, connected, stillOpen } };
}
