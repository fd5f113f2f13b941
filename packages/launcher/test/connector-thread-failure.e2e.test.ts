import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { LOOPBACK_FREE_PORTS_ENV } from '@fscpush/testkit';

const ROOT = resolve(import.meta.dirname, '../../..');
const KILL_PRELOAD = join(import.meta.dirname, 'fixtures/kill-connector-thread.mjs');

test('when the connector thread dies, the all-in-one server shuts down and exits 1 for its supervisor', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fscpush-thread-'));
  const proc = spawn(process.execPath, [join(ROOT, 'bin/fscpush.js'), 'all', '--data-dir', dataDir, '--config', join(dataDir, 'none.properties')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${KILL_PRELOAD}`.trim(),
      FSCPUSH_EMBEDDED_CONNECTOR_THREAD: 'true',
      ...LOOPBACK_FREE_PORTS_ENV,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
    const lines: string[] = [];
    const { ws } = await new Promise<{ ws: number }>((res, rej) => {
      const timer = setTimeout(() => rej(new Error('server did not start in 30 s')), 30_000);
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        lines.push(line);
        if (!line.includes('fscpush embedded server started')) return;
        clearTimeout(timer);
        res(JSON.parse(line) as { ws: number });
      });
    });
    const socket = new WebSocket(`ws://127.0.0.1:${ws}/ws`);
    await new Promise((res, rej) => {
      socket.onopen = res;
      socket.onerror = rej;
    });
    const closed = new Promise<void>((res) => {
      socket.onclose = () => res();
    });

    proc.kill('SIGUSR2');
    const timeout = new Promise<string>((res) => setTimeout(() => res('still running after 20 s'), 20_000).unref());
    assert.equal(await Promise.race([exited, timeout]), 1, 'exit code 1: a supervisor restarts it');
    await closed;
    assert.ok(lines.some((l) => l.includes('the connector thread stopped; shutting down')), 'the reason is logged');
    assert.ok(lines.some((l) => l.includes('exit code 7')), "the thread's exit code is named");
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
