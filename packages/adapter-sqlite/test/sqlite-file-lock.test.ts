import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { FscError } from '@fscpush/core';
import { lockSqliteFile } from '../src/sqlite-file-lock.ts';

const dir = mkdtempSync(join(tmpdir(), 'fscpush-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function refused(file: string): FscError {
  try {
    lockSqliteFile(file);
  } catch (err) {
    assert.ok(err instanceof FscError, String(err));
    assert.equal(err.code, 'STORE_CLAIMED');
    return err;
  }
  assert.fail(`${file} was locked twice`);
}

/** A second process holding the lock, like a second fscpush on the same data dir. */
async function holder(file: string) {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/hold-sqlite-lock.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  assert.equal(chunk.toString().trim(), 'locked');
  return child;
}

test('a file locked by another live process is refused, naming that process and the lock file', async () => {
  const file = join(dir, 'a.sqlite');
  const child = await holder(file);
  try {
    const err = refused(file);
    assert.ok(err.message.includes(`pid ${child.pid} on ${hostname()}`), err.message);
    assert.ok(err.message.includes(`${file}.lock`), err.message);
    assert.match(err.message, /two processes must not share one SQLite data file/);
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  // killed without releasing: the lock is stale (its process is gone) and is taken over
  const lock = lockSqliteFile(file);
  assert.equal(readFileSync(`${file}.lock`, 'utf8').trim(), `${process.pid}@${hostname()}`);
  lock.release();
  assert.equal(existsSync(`${file}.lock`), false);
});

test('this process cannot lock a file twice; after release it can', () => {
  const file = join(dir, 'b.sqlite');
  const lock = lockSqliteFile(file);
  refused(file);
  lock.release();
  lockSqliteFile(file).release();
});

test("a lock of another host is never taken over (that process may be alive); release leaves another's lock alone", () => {
  const file = join(dir, 'c.sqlite');
  writeFileSync(`${file}.lock`, `1@some-other-host\n`);
  assert.match(refused(file).message, /pid 1 on some-other-host/);
  const mine = { release: lockSqliteFile(join(dir, 'd.sqlite')).release };
  writeFileSync(join(dir, 'd.sqlite.lock'), `1@some-other-host\n`);
  mine.release();
  assert.equal(readFileSync(join(dir, 'd.sqlite.lock'), 'utf8').trim(), '1@some-other-host');
});
