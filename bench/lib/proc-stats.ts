import { readFileSync } from 'node:fs';

/** CPU time and memory of one process, read from /proc (Linux). */
export interface ProcSample {
  pid: number;
  /** user + system CPU seconds since the process started */
  cpuSeconds: number;
  /** CPU seconds of the process's main thread alone (a Node process's JavaScript event loop) */
  mainThreadCpuSeconds: number;
  rssBytes: number;
  /** peak RSS (VmHWM) */
  hwmBytes: number;
  threads: number;
  at: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function sampleProc(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      pid,
      cpuSeconds: statCpuSeconds(`/proc/${pid}/stat`),
      mainThreadCpuSeconds: statCpuSeconds(`/proc/${pid}/task/${pid}/stat`),
      rssBytes: kbField(status, 'VmRSS') * 1024,
      hwmBytes: kbField(status, 'VmHWM') * 1024,
      threads: kbField(status, 'Threads'),
      at: Date.now(),
    };
  } catch {
    return undefined;
  }
}

/** This process (the load generator), for the same table. */
export function sampleSelf(): ProcSample {
  return sampleProc(process.pid) ?? { pid: process.pid, cpuSeconds: 0, mainThreadCpuSeconds: 0, rssBytes: 0, hwmBytes: 0, threads: 0, at: Date.now() };
}

/** utime + stime of a /proc stat file (a process's, or one thread's under task/). */
function statCpuSeconds(file: string): number {
  const stat = readFileSync(file, 'utf8');
  // the command name (field 2) may hold spaces: fields after the closing parenthesis are fixed
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function kbField(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** Open file limit of a process: [soft, hard]. */
export function openFileLimit(pid: number | 'self'): [number, number] | undefined {
  try {
    const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
    if (!match) return undefined;
    const n = (s: string) => (s === 'unlimited' ? Number.POSITIVE_INFINITY : Number(s));
    return [n(match[1]!), n(match[2]!)];
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine (all cores) since boot, from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return (total - idle) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
