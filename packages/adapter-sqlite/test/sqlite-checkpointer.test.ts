import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Worker } from 'node:worker_threads';
import { SqliteCheckpointer } from '../src/sqlite-checkpointer.ts';

function openWriter(): { db: DatabaseSync; file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fscpush-ckpt-'));
  const file = join(dir, 'test.db');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
  return { db, file, dir };
}

/** ~4 MB in one commit: it stays in the WAL until someone checkpoints. */
function writeBatch(db: DatabaseSync): void {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  db.exec('BEGIN');
  for (let i = 0; i < 1000; i++) insert.run(new Uint8Array(4000));
  db.exec('COMMIT');
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

const autocheckpoint = (db: DatabaseSync) => (db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint;

test('the writer stops checkpointing; the thread copies committed pages into the database file', async () => {
  const { db, file, dir } = openWriter();
  const checkpointer = new SqliteCheckpointer(db, file);
  try {
    assert.equal(autocheckpoint(db), 0, "the writer's commits never checkpoint");
    const before = statSync(file).size;
    writeBatch(db);
    assert.equal(statSync(file).size, before, 'right after the commit the pages are in the WAL only');
    assert.ok(await eventually(() => statSync(file).size > before + 3_000_000), 'the checkpoint thread moved them into the file');
  } finally {
    await checkpointer.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('if the checkpoint thread dies, the writer checkpoints itself again', async () => {
  const { db, file, dir } = openWriter();
  const checkpointer = new SqliteCheckpointer(db, file);
  try {
    await (checkpointer as unknown as { worker: Worker }).worker.terminate();
    assert.ok(await eventually(() => autocheckpoint(db) === 1000), 'autocheckpoint is back at 1000 pages');
    const before = statSync(file).size;
    writeBatch(db);
    assert.ok(statSync(file).size > before + 3_000_000, 'the commit itself checkpointed');
  } finally {
    await checkpointer.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
