import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingFile } from '../src/index.ts';

test('rotates by size, newest old file is .1, keeps the configured number and drops older ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fscpush-rotate-'));
  try {
    const file = join(dir, 'logs', 'push-group.log');
    const out = new RotatingFile(file, 100, 2);
    for (let i = 0; i < 10; i++) out.write(`${String(i).repeat(39)}\n`); // 40 bytes a line: 2 lines a file
    out.close();
    assert.deepEqual(readdirSync(join(dir, 'logs')).sort(), ['push-group.log', 'push-group.log.1', 'push-group.log.2']);
    assert.equal(readFileSync(file, 'utf8'), `${'8'.repeat(39)}\n${'9'.repeat(39)}\n`);
    assert.equal(readFileSync(`${file}.1`, 'utf8'), `${'6'.repeat(39)}\n${'7'.repeat(39)}\n`);
    assert.equal(readFileSync(`${file}.2`, 'utf8'), `${'4'.repeat(39)}\n${'5'.repeat(39)}\n`);

    const reopened = new RotatingFile(file, 100, 2);
    reopened.write(`${'x'.repeat(39)}\n`);
    reopened.close();
    assert.equal(readFileSync(`${file}.1`, 'utf8'), `${'8'.repeat(39)}\n${'9'.repeat(39)}\n`, 'the size of an existing file counts after a restart');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
