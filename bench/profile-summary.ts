#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): top functions by self time, and self time per file.
//   node bench/profile-summary.ts <file.cpuprofile> [--top 30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface ProfileLine { name: string; where: string; selfMs: number; pct: number }

export function summarize(profile: CpuProfile, top: number): { totalMs: number; functions: ProfileLine[]; files: ProfileLine[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let total = 0;
  const fns = new Map<string, ProfileLine>();
  const files = new Map<string, ProfileLine>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    total += us;
    const where = shorten(frame.url);
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}:${frame.lineNumber + 1}`;
    const f = fns.get(key) ?? { name, where: `${where}:${frame.lineNumber + 1}`, selfMs: 0, pct: 0 };
    f.selfMs += us / 1000;
    fns.set(key, f);
    const fileKey = where || name;
    const g = files.get(fileKey) ?? { name: fileKey, where: '', selfMs: 0, pct: 0 };
    g.selfMs += us / 1000;
    files.set(fileKey, g);
  }
  const finish = (list: ProfileLine[]) => list.sort((a, b) => b.selfMs - a.selfMs).slice(0, top).map((l) => ({ ...l, selfMs: Math.round(l.selfMs), pct: Math.round((l.selfMs / (total / 1000)) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: finish([...fns.values()]), files: finish([...files.values()]) };
}

function shorten(url: string): string {
  if (url === '') return '';
  const m = /\/work\/main\/(.*)$/.exec(url) ?? /node_modules\/(.*)$/.exec(url);
  if (m) return m[1]!.replace(/^node_modules\//, '');
  return url.replace(/^file:\/\//, '');
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '30' } }, allowPositionals: true });
  for (const file of positionals) {
    const s = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top));
    process.stdout.write(`\n${file}: ${s.totalMs} ms sampled\n\nself time by function\n`);
    for (const f of s.functions) process.stdout.write(`${String(f.selfMs).padStart(7)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}\n`);
    process.stdout.write('\nself time by file\n');
    for (const f of s.files) process.stdout.write(`${String(f.selfMs).padStart(7)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.name}\n`);
  }
}
