import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openSqliteStore } from '../src/sqlite-store.ts';
import type { Store as AnyStore } from '@fscpush/ports';
import type { ApiSchema } from '../../push-api/src/store/index.ts';
import type { Schema as GroupSchema } from '../../push-group/src/store/index.ts';
import { SCHEMA_TABLES, SERVICE_MIGRATIONS } from '../../push-group/test/store/store-contract.ts';

type Schema = GroupSchema & ApiSchema;
type Store = AnyStore<Schema>;

const dir = mkdtempSync(join(tmpdir(), 'fscpush-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let dbCount = 0;
const freshFile = (): string => join(dir, `nested-${++dbCount}`, 'fscpush.db');

/**
 * Every table of the Schema type, checked both ways: tsc fails if Schema gains a table missing here
 * (or this names one Schema lacks), and the tests fail if the migrations do not create exactly these.
 */
const TABLES = SCHEMA_TABLES;
type MissingTables = Exclude<keyof Schema, (typeof TABLES)[number]>;
const everySchemaTableListed: [MissingTables] extends [never] ? true : MissingTables = true;
void everySchemaTableListed;

function migrationNames(): string[] {
  return SERVICE_MIGRATIONS.flatMap((m) => Object.keys(m.steps).map((step) => `${m.service}/${step}`)).sort();
}

async function recordedMigrations(store: Store): Promise<string[]> {
  const names: string[] = [];
  for (const m of SERVICE_MIGRATIONS) {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(m.table)} order by name`.execute(store.db);
    names.push(...rows.map((r) => `${m.service}/${r.name}`));
  }
  return names.sort();
}

async function tablesOf(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name not like 'fscpush_migrations_%' order by name`.execute(store.db);
  return rows.map((r) => r.name);
}

/** node:sqlite returns null-prototype rows; copy them for deepEqual against literals. */
function plain<T extends object>(rows: T[]): T[] {
  return rows.map((r) => ({ ...r }));
}

async function withStore<T>(file: string, body: (store: Store) => Promise<T>): Promise<T> {
  const store = await openSqliteStore<Schema>(file, { migrations: SERVICE_MIGRATIONS });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

test('opening a new file creates its directory, migrates every table and the indexes', async () => {
  const file = freshFile();
  await withStore(file, async (store) => {
    assert.equal(store.dialect.name, 'sqlite');
    assert.deepEqual(await tablesOf(store), [...TABLES].sort());
    const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name not like 'sqlite_%' order by name`.execute(store.db);
    const indexes = rows.map((r) => r.name);
    for (const index of ['group_members_uid', 'messages_conv', 'users_name']) assert.ok(indexes.includes(index), `index ${index}`);
    const { rows: mode } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    assert.equal(mode[0]?.journal_mode, 'wal');
  });
  assert.ok(existsSync(file));
});

test('reopening the same file keeps data and does not re-run migrations', async () => {
  const file = freshFile();
  await withStore(file, async (store) => {
    await store.db.insertInto('kv').values({ k: 'hello', v: 'world' }).execute();
  });
  await withStore(file, async (store) => {
    assert.deepEqual(await tablesOf(store), [...TABLES].sort());
    assert.deepEqual(plain(await store.db.selectFrom('kv').selectAll().execute()), [{ k: 'hello', v: 'world' }]);
    const recorded = await recordedMigrations(store);
    assert.deepEqual(recorded, migrationNames(), 'each migration recorded once');
    assert.ok(recorded.length >= 1);
  });
  // A third open still works (a re-run migration would fail on "table already exists").
  await withStore(file, async (store) => {
    assert.equal((await store.db.selectFrom('kv').selectAll().execute()).length, 1);
  });
});

test('64-bit values above 2^53 round-trip exactly through bigint columns', async () => {
  const values = ['9007199254740993', '9223372036854775807', '-9223372036854775808', '1', '0'];
  await withStore(freshFile(), async (store) => {
    let seq = 0;
    for (const mid of values) await store.db.insertInto('inbox').values({ uid: 'u1', seq: ++seq, mid }).execute();
    await store.db.insertInto('inbox').values({ uid: 'u2', seq: 1, mid: 9007199254740993n }).execute();
    const rows = await store.db.selectFrom('inbox').select(['seq', 'mid']).where('uid', '=', 'u1').orderBy('seq').execute();
    assert.deepEqual(rows.map((r) => String(r.mid)), values);
    const u2 = await store.db.selectFrom('inbox').select('mid').where('uid', '=', 'u2').executeTakeFirstOrThrow();
    assert.equal(String(u2.mid), '9007199254740993');
    // Stored as integers, not text: comparisons and lookups by id work numerically.
    const { rows: types } = await sql<{ t: string }>`select distinct typeof(mid) as t from inbox`.execute(store.db);
    assert.deepEqual(types.map((r) => r.t), ['integer']);
    const hit = await store.db.selectFrom('inbox').select('seq').where('mid', '=', '9223372036854775807').execute();
    assert.equal(hit.length, 1);
    const above = await store.db.selectFrom('inbox').select('mid').where('uid', '=', 'u1').where('mid', '>', '9007199254740992').orderBy('mid').execute();
    assert.deepEqual(above.map((r) => String(r.mid)), ['9007199254740993', '9223372036854775807']);
  });
});

test('a message row keeps its 64-bit id and text content intact across close and reopen', async () => {
  const file = freshFile();
  const row = {
    mid: '9223372036854775000',
    from_uid: 'u1',
    from_client: 'android-1',
    conv_type: 0,
    conv_line: 0,
    conv_target: 'u2',
    conv_key: 'p:u1:u2',
    content_type: 1,
    searchable: 'hello 你好 🙂',
    content: JSON.stringify({ type: 1, searchableContent: 'hello 你好 🙂' }),
    to_users: '',
    created_at: 1700000000000,
  };
  await withStore(file, (store) => store.db.insertInto('messages').values(row).execute());
  await withStore(file, async (store) => {
    const got = await store.db.selectFrom('messages').selectAll().executeTakeFirstOrThrow();
    assert.equal(String(got.mid), row.mid);
    assert.equal(got.searchable, row.searchable);
    assert.equal(got.content, row.content);
    assert.equal(got.from_client, 'android-1');
    assert.equal(Number(got.created_at), 1700000000000);
  });
});

test('a transaction that throws leaves nothing behind', async () => {
  await withStore(freshFile(), async (store) => {
    await store.db.insertInto('kv').values({ k: 'kept', v: '1' }).execute();
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('kv').values({ k: 'a', v: '1' }).execute();
        await trx.updateTable('kv').set({ v: '2' }).where('k', '=', 'kept').execute();
        await trx.insertInto('inbox').values({ uid: 'u', seq: 1, mid: '1' }).execute();
        throw new Error('abort (expected by the test)');
      }),
      /abort/,
    );
    assert.deepEqual(plain(await store.db.selectFrom('kv').selectAll().execute()), [{ k: 'kept', v: '1' }]);
    assert.equal((await store.db.selectFrom('inbox').selectAll().execute()).length, 0);
    // A constraint violation also rolls back the whole transaction.
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('kv').values({ k: 'b', v: '1' }).execute();
        await trx.insertInto('kv').values({ k: 'kept', v: 'duplicate' }).execute();
      }),
    );
    assert.deepEqual(plain(await store.db.selectFrom('kv').select('k').execute()), [{ k: 'kept' }]);
  });
});

test('concurrent transactions are serialised: no SQLITE_BUSY and no lost update', async () => {
  await withStore(freshFile(), async (store) => {
    await store.db.insertInto('kv').values({ k: 'counter', v: '0' }).execute();
    const N = 25;
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        store.db.transaction().execute(async (trx) => {
          const { v } = await trx.selectFrom('kv').select('v').where('k', '=', 'counter').executeTakeFirstOrThrow();
          await sleep(i % 3); // yield mid-transaction so others would interleave if they could
          await trx.updateTable('kv').set({ v: String(Number(v) + 1) }).where('k', '=', 'counter').execute();
          await trx.insertInto('inbox').values({ uid: 'u', seq: i, mid: String(i) }).execute();
        }),
      ),
    );
    const { v } = await store.db.selectFrom('kv').select('v').where('k', '=', 'counter').executeTakeFirstOrThrow();
    assert.equal(v, String(N));
    assert.equal((await store.db.selectFrom('inbox').select('seq').execute()).length, N);
  });
});

test('an in-memory store works for tests', async () => {
  await withStore(':memory:', async (store) => {
    assert.deepEqual(await tablesOf(store), [...TABLES].sort());
  });
});

test('a database an older build migrated (one shared record, the admin secret in kv): each service takes its steps over, nothing re-runs, the secret moves to push-api', async () => {
  const file = freshFile();
  await withStore(file, async (store) => {
    await store.db.insertInto('kv').values({ k: 'secret.admin', v: 'older-secret' }).execute();
    await store.db.insertInto('users').values({ uid: 'u1', name: 'n', display_name: 'N', portrait: '', mobile: null, email: '', address: '', company: '', social: '', extra: '', gender: 0, type: 0, status: 0, created_at: 1, updated_at: 1 }).execute();
    // back to the older layout: one kysely_migration table with every step, no api_settings
    await sql`create table kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(store.db);
    for (const m of SERVICE_MIGRATIONS) {
      await sql`insert into kysely_migration (name, timestamp) select name, timestamp from ${sql.table(m.table)} where name <> '0011_api_settings'`.execute(store.db);
      await sql`drop table ${sql.table(m.table)}`.execute(store.db);
    }
    await sql`drop table api_settings`.execute(store.db);
  });
  await withStore(file, async (store) => {
    assert.deepEqual(await recordedMigrations(store), migrationNames(), 'the older steps taken over, the new one run');
    assert.equal((await store.db.selectFrom('api_settings').select('v').where('k', '=', 'secret.admin').executeTakeFirstOrThrow()).v, 'older-secret');
    assert.equal((await store.db.selectFrom('users').selectAll().execute()).length, 1, 'no step ran twice (0001 would fail on its tables)');
  });
});
