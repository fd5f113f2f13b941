import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { APP_REQUEST_KINDS } from '../../../bench/lib/app-requests.ts';
import type { StepReport, Verification } from '../../../bench/lib/report.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Keeps the load generator (bench/) from rotting: each scenario runs at a tiny size against its own
 * server child, and the verifier must find every acknowledged message delivered once, in order.
 * No timing assertions: CI machines are slow and shared.
 */
describe('bench harness smoke run', () => {
  const out = mkdtempSync(join(tmpdir(), 'fscpush-bench-smoke-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  /** `env`: FSCPUSH_* settings for the server child (it inherits the generator's environment) */
  const run = (scenario: string, args: string[], env: Record<string, string> = {}, name = scenario): Record<string, unknown> => {
    const dir = join(out, name);
    const result = spawnSync(process.execPath, [join(ROOT, 'bench/run.ts'), scenario, '--out', dir, '--max-seconds', '120', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 150_000,
      env: { ...process.env, ...env },
    });
    assert.equal(result.status, 0, `bench ${scenario} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
    const files = readdirSync(dir).filter((f) => f.endsWith(`-${scenario}.json`));
    assert.equal(files.length, 1, 'one result file');
    return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as Record<string, unknown>;
  };

  const assertClean = (v: Verification) => {
    assert.ok(v.acked > 0, 'messages were acknowledged');
    assert.ok(v.expected > 0, 'deliveries were expected');
    assert.equal(v.lost, 0, 'no acknowledged message lost');
    assert.equal(v.duplicates, 0, 'no duplicate delivery');
    assert.equal(v.outOfOrder, 0, 'per-sender order kept');
    assert.equal(v.delivered >= v.expected, true, 'every expected delivery arrived');
    assert.equal(v.ok, true);
  };
  /** Every kind of the app's blocking requests was sent in the judged step and answered with entries. */
  const assertAppRequestsAnswered = (r: Record<string, unknown>) => {
    const step = (r['steps'] as StepReport[]).at(-1)!;
    for (const kind of APP_REQUEST_KINDS) {
      const kindReport = step.app?.[kind];
      assert.ok(kindReport && kindReport.count > 0, `${kind} requests were sent and answered`);
      assert.equal(kindReport.failed, 0, `no ${kind} request failed or came back empty`);
    }
  };

  test('p2p over WS and TCP, with the app\'s blocking requests', () => {
    const r = run('p2p', ['--users', '20', '--rates', '40', '--step-seconds', '2', '--warmup-seconds', '0', '--drain-seconds', '5', '--app-share', '0.2', '--app-rate', '4']);
    assertClean(r['verification'] as Verification);
    assertAppRequestsAnswered(r);
  });

  // the groups of these two runs are above group.lazy.members: the lazy inbox under load and reconnect churn
  const LAZY = { FSCPUSH_GROUP_LAZY_MEMBERS: '10' };

  test('group fan-out (lazy group: 40 of 60 members offline)', () => {
    const r = run('group', ['--members', '60', '--online', '20', '--senders', '3', '--rates', '5', '--step-seconds', '2', '--warmup-seconds', '0', '--point-rate', '0', '--drain-seconds', '5', '--app-share', '0.2', '--app-rate', '4'], LAZY);
    assertClean(r['verification'] as Verification);
    assertAppRequestsAnswered(r);
  });

  test('mixed traffic with reconnect churn', () => {
    const r = run('mixed-soak', ['--users', '40', '--group-members', '20', '--p2p-rate', '40', '--group-rate', '2', '--group-senders', '2', '--churn-per-sec', '3', '--duration-seconds', '6', '--window-seconds', '3'], LAZY);
    assertClean(r['verification'] as Verification);
  });

  test('idle connections are held', () => {
    const r = run('connections', ['--count', '40', '--hold-seconds', '2']);
    const v = r['verification'] as { ok: boolean; connected: number; stillOpen: number };
    assert.equal(v.connected, 40);
    assert.equal(v.stillOpen, 40);
  });

  test('idle connections held by several generator processes', () => {
    const r = run('connections', ['--count', '40', '--hold-seconds', '2', '--per-generator', '15'], {}, 'connections-split');
    const v = r['verification'] as { ok: boolean; connected: number; stillOpen: number };
    assert.equal((r['summary'] as { generatorProcesses: number }).generatorProcesses, 3);
    assert.equal(v.connected, 40);
    assert.equal(v.stillOpen, 40);
  });
});
