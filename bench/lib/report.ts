import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { APP_REQUEST_KINDS } from './app-requests.ts';
import type { AppStepReport } from './app-traffic.ts';
import type { HistogramSummary } from './histogram.ts';
import type { Ledger, StepStats } from './ledger.ts';

/** every run's full result, kept on this machine (not in git) */
export const RESULTS_DIR = resolve(import.meta.dirname, '../results');
/** the latest run of each scenario, in git: bench/latest/<scenario>.json */
export const LATEST_DIR = resolve(import.meta.dirname, '../latest');

export function machineInfo(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadGenerator: 'same machine, one process',
  };
}

/**
 * Writes bench/results/<date>-<scenario>.json (or into `dir`) and returns the path; a run into the default
 * directory also becomes bench/latest/<scenario>.json.
 */
export function writeResult(scenario: string, result: object, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  const file = join(dir, `${stamp}-${scenario}.json`);
  const text = `${JSON.stringify({ run: `${stamp}-${scenario}`, ...result }, null, 2)}\n`;
  writeFileSync(file, text);
  if (dir === RESULTS_DIR) {
    mkdirSync(LATEST_DIR, { recursive: true });
    writeFileSync(join(LATEST_DIR, `${scenario}.json`), text);
  }
  return file;
}

export interface StepReport {
  step: number;
  offeredRate: number;
  achievedRate: number;
  deliveriesPerSec: number;
  sent: number;
  acked: number;
  ackFailed: number;
  skipped: number;
  deliveries: number;
  ackMs: HistogramSummary;
  deliveredMs: HistogramSummary;
  serverCpuPct?: number;
  /** the busiest server main thread (JavaScript event loop) during the step, 100 = saturated */
  mainThreadCpuPct?: number;
  /** server CPU time per acknowledged message while sending (all server processes) */
  serverCpuMsPerMsg?: number | undefined;
  /** CPU used by unrelated processes on the machine during the step (100 = one core): a noisy neighbour makes the step's numbers worse */
  othersCpuPct?: number;
  /** the app's blocking requests sent during the step, by kind */
  app?: AppStepReport;
  pass?: boolean;
  note?: string;
}

export function stepReport(step: StepStats): StepReport {
  const seconds = step.durationMs / 1000;
  const deliverySpan = step.lastDeliveryAt > 0 ? (step.lastDeliveryAt - step.startedAt) / 1000 : seconds;
  return {
    step: step.step,
    offeredRate: step.offeredRate,
    achievedRate: Math.round(step.acked / Math.max(seconds, 0.001)),
    deliveriesPerSec: Math.round(step.deliveries / Math.max(deliverySpan, seconds, 0.001)),
    sent: step.sent,
    acked: step.acked,
    ackFailed: step.ackFailed,
    skipped: step.skipped,
    deliveries: step.deliveries,
    ackMs: step.ack.summaryMs(),
    deliveredMs: step.delivered.summaryMs(),
  };
}

export interface Verification {
  sent: number;
  acked: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  /** deliveries of messages whose ack never came (timeout) or outside the receiver lists */
  deliveredNotAcked: number;
  foreign: number;
  ok: boolean;
  /** the first lost (sender, n, receiver device) triples: the text was `b|sender|n|…` */
  lostSamples: { sender: number; n: number; receiver: number }[];
}

export function verification(ledger: Ledger): Verification {
  const { lost, unexpected, lostSamples } = ledger.verify();
  return {
    sent: ledger.sent,
    acked: ledger.acked,
    expected: ledger.expected,
    delivered: ledger.deliveries,
    lost,
    duplicates: ledger.duplicates,
    outOfOrder: ledger.outOfOrder,
    deliveredNotAcked: unexpected,
    foreign: ledger.foreign,
    ok: lost === 0 && ledger.duplicates === 0 && ledger.outOfOrder === 0,
    lostSamples,
  };
}

export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\n${title}\n${line(cells[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of cells.slice(1)) process.stdout.write(`${line(r)}\n`);
}

export function printSteps(steps: StepReport[]): void {
  printTable('steps (latency in ms, measured from each message\'s scheduled send time)', [
    'step', 'offered/s', 'acked/s', 'deliv/s', 'ack p50', 'p90', 'p99', 'max', 'deliv p50', 'p90', 'p99', 'max', 'srv cpu%', 'main%', 'cpu ms/msg', 'others%', 'fail', 'skip', 'pass',
  ], steps.map((s) => [
    s.step, s.offeredRate, s.achievedRate, s.deliveriesPerSec,
    s.ackMs.p50, s.ackMs.p90, s.ackMs.p99, s.ackMs.max,
    s.deliveredMs.p50, s.deliveredMs.p90, s.deliveredMs.p99, s.deliveredMs.max,
    s.serverCpuPct ?? '', s.mainThreadCpuPct ?? '', s.serverCpuMsPerMsg ?? '', s.othersCpuPct ?? '', s.ackFailed, s.skipped, s.pass === undefined ? '' : s.pass ? 'yes' : `no${s.note ? ` (${s.note})` : ''}`,
  ]));
}

/** p99 (and failures) of the app's blocking requests per step, against each request's deadline. */
export function printAppRequests(steps: StepReport[]): void {
  const withApp = steps.filter((s) => s.app !== undefined);
  if (withApp.length === 0) return;
  const cell = (s: StepReport, kind: (typeof APP_REQUEST_KINDS)[number]) => {
    const r = s.app?.[kind];
    if (!r) return '';
    return `${r.p99}${r.failed > 0 ? ` (${r.failed} failed)` : ''}${r.within ? '' : ' !'}`;
  };
  printTable(`app requests: p99 ms from scheduled time (deadline: ${APP_REQUEST_KINDS.map((k) => `${k} ${withApp[0]!.app![k]?.deadlineMs}`).join(', ')}; ! = outside)`, [
    'step', 'offered/s', 'count', ...APP_REQUEST_KINDS,
  ], withApp.map((s) => [
    s.step, s.offeredRate, APP_REQUEST_KINDS.reduce((n, k) => n + (s.app?.[k]?.count ?? 0), 0), ...APP_REQUEST_KINDS.map((k) => cell(s, k)),
  ]));
}

export function printVerification(v: Verification): void {
  printTable('verification (Σ online receivers × acknowledged messages)', ['sent', 'acked', 'expected', 'delivered', 'lost', 'dups', 'out-of-order', 'deliv-not-acked', 'verdict'], [[
    v.sent, v.acked, v.expected, v.delivered, v.lost, v.duplicates, v.outOfOrder, v.deliveredNotAcked, v.ok ? 'OK' : 'FAIL',
  ]]);
}

export function printProcesses(rows: { name: string; pid: number; cpuSeconds: number; rssMb: number; peakRssMb: number; perConnKb?: number | undefined }[]): void {
  printTable('processes', ['process', 'pid', 'cpu s', 'rss MB', 'peak MB', 'total rss/device KB'], rows.map((r) => [
    r.name, r.pid, r.cpuSeconds.toFixed(1), r.rssMb.toFixed(1), r.peakRssMb.toFixed(1), r.perConnKb === undefined ? '' : r.perConnKb.toFixed(2),
  ]));
}

export function printErrors(errors: Record<string, number>): void {
  const entries = Object.entries(errors).filter(([, n]) => n > 0);
  if (entries.length === 0) {
    process.stdout.write('\nerrors: none\n');
    return;
  }
  printTable('errors', ['kind', 'count'], entries);
}
