import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { FairLock } from '../src/fair-sqlite-dialect.ts';
import { openSqliteStore } from '../src/sqlite-store.ts';
import { PUSH_GROUP_MIGRATIONS } from '../../push-group/src/store/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'fscpush-fair-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('FairLock: one holder at a time, waiters served in arrival order', async () => {
  const lock = new FairLock();
  const order: number[] = [];
  let holders = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      await lock.acquire();
      holders += 1;
      most = Math.max(most, holders);
      order.push(i);
      await Promise.resolve();
      holders -= 1;
      lock.release();
    }),
  );
  assert.equal(most, 1);
  assert.deepEqual(order, Array.from({ length: 200 }, (_, i) => i));
  assert.equal(lock.waiting, 0);
  await lock.acquire(); // free again
  lock.release();
});

test('FairLock: a long queue of waiters lets the event loop run while it drains', async () => {
  const lock = new FairLock();
  await lock.acquire();
  let done = 0;
  const all = Array.from({ length: 5_000 }, () =>
    lock.acquire().then(() => {
      done += 1;
      lock.release();
    }),
  );
  let doneWhenLoopRan = -1;
  setImmediate(() => (doneWhenLoopRan = done));
  lock.release();
  await Promise.all(all);
  assert.equal(done, 5_000);
  assert.ok(doneWhenLoopRan >= 0 && doneWhenLoopRan < 5_000, `the loop ran only after ${doneWhenLoopRan} of 5000 hand-offs`);
});

test('SQLite store: thousands of queued queries finish, in order, without holding the thread', async () => {
  const store = await openSqliteStore(join(dir, 'backlog.db'), { migrations: [PUSH_GROUP_MIGRATIONS] });
  try {
    await sql`create table t (n integer primary key)`.execute(store.db);
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    const inserts = Array.from({ length: 5_000 }, (_, n) => sql`insert into t (n) values (${n})`.execute(store.db));
    await Promise.all(inserts);
    clearInterval(ticker);
    const { rows } = await sql<{ c: number; s: number }>`select count(*) as c, sum(n) as s from t`.execute(store.db);
    assert.equal(Number(rows[0]!.c), 5_000);
    assert.equal(Number(rows[0]!.s), (5_000 * 4_999) / 2);
    assert.ok(ticks > 0, 'a 1 ms timer never ran while 5,000 queries drained');
    // a transaction holds the connection: statements of others wait for its end, not in between
    const seen: string[] = [];
    await Promise.all([
      store.db.transaction().execute(async (trx) => {
        seen.push('tx-begin');
        await sql`insert into t (n) values (-1)`.execute(trx);
        await new Promise((resolve) => setImmediate(resolve));
        seen.push('tx-end');
      }),
      sql`select 1`.execute(store.db).then(() => seen.push('other')),
    ]);
    assert.deepEqual(seen, ['tx-begin', 'tx-end', 'other']);
  } finally {
    await store.close();
  }
});
