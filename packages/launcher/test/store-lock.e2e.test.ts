import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { FscError } from '@fscpush/core';
import { LOOPBACK_FREE_PORTS_ENV } from '@fscpush/testkit';
import { TestServer } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'fscpush-lock-e2e-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('a second server on the same data dir is refused while the first runs, and the first keeps serving', async () => {
  const first = await TestServer.start({ dataDir });
  const alice = await first.login('13900000001', 'lock-a');
  try {
    await assert.rejects(TestServer.start({ dataDir }), (err: unknown) => {
      assert.ok(err instanceof FscError, String(err));
      assert.equal(err.code, 'STORE_CLAIMED');
      assert.ok(err.message.includes(join(dataDir, 'fscpush.sqlite')), err.message);
      return true;
    });

    // the same from the command line, as an operator starting it twice: exit 1 with the message, no stack
    const proc = spawn(process.execPath, [join(ROOT, 'bin/fscpush.js'), 'all', '--data-dir', dataDir, '--config', join(dataDir, 'none.properties')], {
      env: { ...process.env, ...LOOPBACK_FREE_PORTS_ENV },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(proc, 'exit')) as [number];
    assert.equal(code, 1, stderr);
    assert.match(stderr, /fscpush\.sqlite is in use by another fscpush process \(pid \d+ on /);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');

    const again = await first.login('13900000001', 'lock-a');
    assert.equal(again.userId, alice.userId, 'the first server still serves from its data');
  } finally {
    await first.stop(false);
  }
  assert.equal(existsSync(join(dataDir, 'fscpush.sqlite.lock')), false, 'stopping releases the lock');
  const second = await TestServer.start({ dataDir });
  try {
    assert.equal((await second.login('13900000001', 'lock-a')).userId, alice.userId, 'the data is the same after the handover');
  } finally {
    await second.stop(false);
  }
});
