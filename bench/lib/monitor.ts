import { loadavg } from 'node:os';
import { machineBusySeconds, sampleProc, sampleSelf, type ProcSample } from './proc-stats.ts';
import type { ServerProcess } from './target.ts';

export interface TimelinePoint {
  /** seconds since the monitor started */
  t: number;
  phase: string;
  /** per server process: CPU % over the last interval and RSS MB */
  servers: { name: string; cpuPct: number; rssMb: number }[];
  generatorCpuPct: number;
  generatorRssMb: number;
  /** CPU % (100 = one core) used by everything else on the machine: other tests, engines, … */
  othersCpuPct: number;
  loadAvg1: number;
  line: string;
}

/**
 * Samples the server processes (and this generator) once a second from /proc, prints a progress line,
 * and keeps the timeline for the result file.
 */
export class Monitor {
  readonly timeline: TimelinePoint[] = [];
  readonly processes: ServerProcess[];
  phase = 'setup';
  status: () => string = () => '';
  private readonly startedAt = Date.now();
  private last = new Map<number, ProcSample>();
  private lastSelf = sampleSelf();
  private lastMachine = { busy: machineBusySeconds(), at: Date.now() };
  /** CPU seconds the rest of the machine used while the monitor ran */
  othersCpuSeconds = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly tty = process.stderr.isTTY === true;
  private printedAt = 0;

  constructor(processes: ServerProcess[]) {
    this.processes = processes;
    for (const p of processes) {
      const s = sampleProc(p.pid);
      if (s) this.last.set(p.pid, s);
    }
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty) process.stderr.write('\n');
  }

  /** Current samples of every server process. */
  snapshot(): ProcSample[] {
    return this.processes.map((p) => sampleProc(p.pid)).filter((s): s is ProcSample => s !== undefined);
  }

  /** Total server CPU seconds and RSS now, and each server process's main-thread CPU seconds. */
  totals(): { cpuSeconds: number; rssBytes: number; mainThreads: Map<number, number> } {
    let cpuSeconds = 0;
    let rssBytes = 0;
    const mainThreads = new Map<number, number>();
    for (const s of this.snapshot()) {
      cpuSeconds += s.cpuSeconds;
      rssBytes += s.rssBytes;
      mainThreads.set(s.pid, s.mainThreadCpuSeconds);
    }
    return { cpuSeconds, rssBytes, mainThreads };
  }

  log(message: string): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${message}\n`);
  }

  private tick(): void {
    const servers: TimelinePoint['servers'] = [];
    for (const p of this.processes) {
      const now = sampleProc(p.pid);
      const before = this.last.get(p.pid);
      if (!now) continue;
      const cpuPct = before ? ((now.cpuSeconds - before.cpuSeconds) / Math.max(0.001, (now.at - before.at) / 1000)) * 100 : 0;
      servers.push({ name: p.name, cpuPct: round1(cpuPct), rssMb: round1(now.rssBytes / 2 ** 20) });
      this.last.set(p.pid, now);
    }
    const self = sampleSelf();
    const generatorCpuPct = round1(((self.cpuSeconds - this.lastSelf.cpuSeconds) / Math.max(0.001, (self.at - this.lastSelf.at) / 1000)) * 100);
    this.lastSelf = self;
    const machine = { busy: machineBusySeconds(), at: Date.now() };
    const elapsed = Math.max(0.001, (machine.at - this.lastMachine.at) / 1000);
    const ours = servers.reduce((sum, s) => sum + s.cpuPct, 0) + generatorCpuPct;
    const othersCpuPct = Math.max(0, round1(((machine.busy - this.lastMachine.busy) / elapsed) * 100 - ours));
    this.othersCpuSeconds += (othersCpuPct / 100) * elapsed;
    this.lastMachine = machine;
    const t = Math.round((Date.now() - this.startedAt) / 1000);
    const srv = servers.map((s) => `srv ${s.cpuPct}% ${s.rssMb}MB`).join(' ');
    const line = `[${this.phase}] t=${t}s ${this.status()} | ${srv} | gen ${generatorCpuPct}% | others ${othersCpuPct}%`;
    this.timeline.push({ t, phase: this.phase, servers, generatorCpuPct, generatorRssMb: round1(self.rssBytes / 2 ** 20), othersCpuPct, loadAvg1: round1(loadavg()[0]!), line });
    if (this.tty) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 200) - 1)}`);
    else if (Date.now() - this.printedAt >= 5000) {
      this.printedAt = Date.now();
      process.stderr.write(`${line}\n`);
    }
  }
}

/** CPU % of the busiest server main thread between two totals(): the event loop that saturates first. */
export function busiestMainThreadPct(before: Map<number, number>, after: Map<number, number>, seconds: number): number {
  let busiest = 0;
  for (const [pid, cpu] of after) busiest = Math.max(busiest, cpu - (before.get(pid) ?? cpu));
  return Math.round((busiest / Math.max(0.001, seconds)) * 100);
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
