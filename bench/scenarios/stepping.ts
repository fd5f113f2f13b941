import type { AppDevices } from '../lib/app-devices.ts';
import { appDeadlineMisses } from '../lib/app-traffic.ts';
import type { RunContext } from '../lib/context.ts';
import { drain, sendAtRate, type Sender } from '../lib/driver.ts';
import { stepReport, type StepReport } from '../lib/report.ts';
import { busiestMainThreadPct } from '../lib/monitor.ts';

export interface SteppingOptions {
  rates: number[];
  stepSeconds: number;
  /** a step passes when its p99 send→delivered is at most this */
  p99LimitMs: number;
  maxInFlight: number;
  drainSeconds: number;
  /** a short unjudged step first, so JIT warm-up does not count */
  warmupRate: number;
  warmupSeconds: number;
  /** keep stepping after a failed step (to show the curve) */
  continueAfterFail: number;
}

/**
 * Runs the rates in order: send at the rate for stepSeconds, wait for the step's deliveries, judge it.
 * A step passes when p99 send→delivered ≤ the limit, the acked rate is ≥ 95 % of the offered one, no
 * send failed or was skipped for lack of capacity, every expected delivery arrived in the drain, and — with
 * app traffic — each of the app's blocking requests answered inside its deadline (p99) and none failed.
 */
export async function runSteps(ctx: RunContext, senders: Sender[], opts: SteppingOptions, deliveriesPerMessage: number, app?: AppDevices): Promise<{ steps: StepReport[]; best: StepReport | undefined }> {
  const steps: StepReport[] = [];
  if (opts.warmupSeconds > 0) {
    ctx.monitor.phase = 'warm-up';
    const [warm] = await Promise.all([
      sendAtRate(ctx.ledger, senders, { rate: opts.warmupRate, durationMs: opts.warmupSeconds * 1000, maxInFlight: opts.maxInFlight }),
      app?.run(opts.warmupSeconds * 1000),
    ]);
    await drain(ctx.ledger, () => ctx.sendsInFlight(), opts.drainSeconds * 1000, 3000);
    steps.push({ ...stepReport(warm), note: 'warm-up' });
  }
  let best: StepReport | undefined;
  let failures = 0;
  for (const rate of opts.rates) {
    const needed = (opts.stepSeconds + opts.drainSeconds) * 1000;
    if (ctx.timeLeftMs < needed) {
      ctx.monitor.log(`time bound reached: not running ${rate}/s`);
      break;
    }
    ctx.monitor.phase = `${rate}/s`;
    const totals0 = ctx.monitor.totals();
    const cpu0 = totals0.cpuSeconds;
    const others0 = ctx.monitor.othersCpuSeconds;
    const t0 = performance.now();
    const expectedBefore = ctx.ledger.expected;
    const [step, appReport] = await Promise.all([
      sendAtRate(ctx.ledger, senders, {
        rate,
        durationMs: opts.stepSeconds * 1000,
        maxInFlight: opts.maxInFlight,
        onTick: (s) => {
          ctx.monitor.status = () => `sent ${s.sent} acked ${s.acked} deliv ${s.deliveries} p99 ${s.delivered.summaryMs().p99}ms inflight ${ctx.sendsInFlight()}`;
        },
      }),
      app?.run(opts.stepSeconds * 1000),
    ]);
    const totals1 = ctx.monitor.totals();
    const cpu1 = totals1.cpuSeconds;
    const sendSeconds = (performance.now() - t0) / 1000;
    await drain(ctx.ledger, () => ctx.sendsInFlight(), opts.drainSeconds * 1000, 3000, () => {
      ctx.monitor.status = () => `draining: outstanding ${ctx.ledger.outstanding()} inflight ${ctx.sendsInFlight()}`;
    });
    const report = stepReport(step);
    report.serverCpuPct = Math.round(((cpu1 - cpu0) / sendSeconds) * 100);
    report.mainThreadCpuPct = busiestMainThreadPct(totals0.mainThreads, totals1.mainThreads, sendSeconds);
    report.serverCpuMsPerMsg = step.acked > 0 ? Math.round(((cpu1 - cpu0) * 1000 / step.acked) * 1000) / 1000 : undefined;
    report.othersCpuPct = Math.round(((ctx.monitor.othersCpuSeconds - others0) / sendSeconds) * 100);
    const expectedStep = (ctx.ledger.expected - expectedBefore) || step.acked * deliveriesPerMessage;
    const notes: string[] = [];
    if (report.deliveredMs.p99 > opts.p99LimitMs) notes.push(`p99 ${report.deliveredMs.p99} ms`);
    if (report.achievedRate < rate * 0.95) notes.push(`acked ${report.achievedRate}/s`);
    if (step.ackFailed > 0) notes.push(`${step.ackFailed} failed`);
    if (step.skipped > 0) notes.push(`${step.skipped} skipped`);
    if (step.deliveries < expectedStep) notes.push(`${expectedStep - step.deliveries} undelivered`);
    if (appReport) {
      report.app = appReport;
      notes.push(...appDeadlineMisses(appReport));
    }
    report.pass = notes.length === 0;
    if (notes.length > 0) report.note = notes.join(', ');
    steps.push(report);
    ctx.monitor.log(`step ${rate}/s: acked ${report.achievedRate}/s, deliveries ${report.deliveriesPerSec}/s, p99 ack ${report.ackMs.p99} ms, p99 delivered ${report.deliveredMs.p99} ms, server CPU ${report.serverCpuPct}% (main thread ${report.mainThreadCpuPct}%), other processes ${report.othersCpuPct}% → ${report.pass ? 'pass' : `fail (${report.note})`}`);
    if (report.pass) best = report;
    else if (++failures > opts.continueAfterFail) break;
  }
  return { steps, best };
}

/** start, start·factor, … (rounded), at most `count` rates. */
export function geometricRates(start: number, factor: number, count: number): number[] {
  const rates: number[] = [];
  let r = start;
  for (let i = 0; i < count; i++) {
    rates.push(Math.round(r));
    r *= factor;
  }
  return rates;
}
