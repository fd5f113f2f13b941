import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { FscError, isProcessAlive } from '@fscpush/core';

export interface SqliteFileLock {
  readonly file: string;
  release(): void;
}

/**
 * Makes one process the only user of a SQLite file: `<file>.lock` is created exclusively (O_EXCL) and
 * holds `pid@host`. A lock left by a process of this host that no longer runs (killed, crashed) is taken
 * over; any other holder fails the start with STORE_CLAIMED naming it. Removed by release().
 */
export function lockSqliteFile(file: string): SqliteFileLock {
  const lockFile = `${file}.lock`;
  const me = `${process.pid}@${hostname()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      try {
        writeSync(fd, `${me}\n`);
      } finally {
        closeSync(fd);
      }
      return { file: lockFile, release: () => releaseIfOurs(lockFile, me) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(lockFile);
    if (holder !== undefined && holder.host === hostname() && holder.pid !== process.pid && !isProcessAlive(holder.pid)) {
      try {
        unlinkSync(lockFile);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      continue;
    }
    throw new FscError(
      'STORE_CLAIMED',
      `${file} is in use by another fscpush process (${holder === undefined ? 'unreadable lock' : `pid ${holder.pid} on ${holder.host}`}, lock file ${lockFile}); ` +
        'two processes must not share one SQLite data file: give each its own data dir (fscpush.data.dir), or stop the other one',
      { lockFile, holder: holder === undefined ? undefined : `${holder.pid}@${holder.host}` },
    );
  }
  throw new FscError('STORE_CLAIMED', `${lockFile} keeps reappearing: another process is starting on ${file}`, { lockFile });
}

function readHolder(lockFile: string): { pid: number; host: string } | undefined {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8').trim();
  } catch {
    return undefined;
  }
  const match = /^(\d+)@(.+)$/.exec(text);
  return match ? { pid: Number(match[1]), host: match[2]! } : undefined;
}

function releaseIfOurs(lockFile: string, me: string): void {
  try {
    if (readFileSync(lockFile, 'utf8').trim() === me) unlinkSync(lockFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
