import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { createConnection, type Connection } from 'mysql2';
import { sql } from 'kysely';
import { FscError } from '@fscpush/core';
import { openMysqlStore, type MysqlStoreOptions } from '../src/mysql-store.ts';
import { migrationLockName } from '../src/mysql-migrations.ts';
import { parseMysqlUrl } from '../src/jdbc-url.ts';
import type { Store as AnyStore } from '@fscpush/ports';
import type { ApiSchema } from '../../push-api/src/store/index.ts';
import { PUSH_GROUP_MIGRATIONS, type Schema as GroupSchema } from '../../push-group/src/store/index.ts';
import { SCHEMA_TABLES, SERVICE_MIGRATIONS, describeStoreContract, messageRow } from '../../push-group/test/store/store-contract.ts';

type Schema = GroupSchema & ApiSchema;
type Store = AnyStore<Schema>;
import { uniqueName } from '@fscpush/ports/contracts/helpers';

/**
 * The MySQL/MariaDB store against the dev stack's MariaDB (cluster tier): the Store contract, then what
 * only a server shows — database creation, table options, concurrent opens, bounded waits. Every test
 * uses its own database (fscpush_t_…), dropped at the end.
 */
function mysqlUri(): string {
  const uri = process.env['FSCPUSH_MYSQL_URI'];
  if (!uri) throw new Error('FSCPUSH_MYSQL_URI is not set: run `scripts/devstack up mariadb` and `eval "$(scripts/devstack env)"` (or npm run test:cluster)');
  return uri;
}
const URI = mysqlUri();
const SERVER = parseMysqlUrl(URI);

const databases = new Set<string>();
function freshDatabase(): string {
  const name = uniqueName('fscpush_t').replace(/-/g, '_');
  databases.add(name);
  return name;
}

const stores: Store[] = [];
async function open(extra: Partial<MysqlStoreOptions> = {}): Promise<Store> {
  const store = await openMysqlStore<Schema>({ url: URI, ...extra }, SERVICE_MIGRATIONS);
  stores.push(store);
  return store;
}

after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  const admin = await rawConnection();
  for (const db of databases) await query(admin, `drop database if exists \`${db}\``).catch(() => undefined);
  admin.destroy();
});

const isFscError = (code: string) => (err: unknown) => err instanceof FscError && err.code === code;

describeStoreContract('MySQL (MariaDB)', {
  fresh: async () => {
    const database = freshDatabase();
    return { store: await open({ database }), openAgain: () => open({ database }) };
  },
});

describe('MySQL store: database, tables, sessions', () => {
  test('a missing database is created utf8mb4/utf8mb4_bin; every table is InnoDB utf8mb4_bin', async () => {
    const database = freshDatabase();
    const store = await open({ database });
    const { rows: schema } = await sql<{ cs: string; co: string }>`select default_character_set_name as cs, default_collation_name as co from information_schema.schemata where schema_name = ${database}`.execute(store.db);
    assert.deepEqual({ ...schema[0] }, { cs: 'utf8mb4', co: 'utf8mb4_bin' });
    const { rows: tables } = await sql<{ t: string; e: string; c: string }>`select table_name as t, engine as e, table_collation as c from information_schema.tables where table_schema = ${database}`.execute(store.db);
    for (const table of SCHEMA_TABLES) {
      const row = tables.find((r) => r.t === table);
      assert.ok(row, table);
      assert.deepEqual([row.e, row.c], ['InnoDB', 'utf8mb4_bin'], table);
    }
  });

  test("an existing database with other defaults (latin1) still gets utf8mb4_bin tables, and its defaults are left alone", async () => {
    const database = freshDatabase();
    const admin = await rawConnection();
    await query(admin, `create database \`${database}\` character set latin1 collate latin1_swedish_ci`);
    admin.destroy();
    const store = await open({ database });
    const { rows } = await sql<{ c: string }>`select distinct table_collation as c from information_schema.tables where table_schema = ${database}`.execute(store.db);
    assert.deepEqual(rows.map((r) => r.c), ['utf8mb4_bin']);
    const { rows: schema } = await sql<{ cs: string }>`select default_character_set_name as cs from information_schema.schemata where schema_name = ${database}`.execute(store.db);
    assert.equal(schema[0]?.cs, 'latin1');
    await store.db.insertInto('kv').values({ k: 'emoji', v: '🙂' }).execute();
    assert.equal((await store.db.selectFrom('kv').select('v').executeTakeFirstOrThrow()).v, '🙂');
  });

  test('every pooled connection runs in UTC, utf8mb4_bin, strict mode without NO_BACKSLASH_ESCAPES', async () => {
    const store = await open({ database: freshDatabase(), poolSize: 3 });
    const sessions = await Promise.all(
      Array.from({ length: 6 }, () =>
        sql<{ tz: string; mode: string; coll: string; id: string }>`select @@session.time_zone as tz, @@session.sql_mode as mode, @@collation_connection as coll, connection_id() as id, sleep(0.05) as s`.execute(store.db),
      ),
    );
    const ids = new Set<string>();
    for (const { rows } of sessions) {
      const row = rows[0]!;
      ids.add(String(row.id));
      assert.equal(row.tz, '+00:00');
      assert.equal(row.coll, 'utf8mb4_bin');
      assert.match(row.mode, /STRICT_TRANS_TABLES/);
      assert.doesNotMatch(row.mode, /NO_BACKSLASH_ESCAPES/);
    }
    assert.ok(ids.size <= 3, `at most poolSize connections (saw ${ids.size})`);
    // strict: too long is an error, not a silent cut
    await assert.rejects(
      store.db.insertInto('kv').values({ k: 'x'.repeat(129), v: '' }).execute(),
      (err: unknown) => (err as { code?: string }).code === 'ER_DATA_TOO_LONG',
    );
  });

  test("FShareChat's im.jdbc_url form opens the same database", async () => {
    const database = freshDatabase();
    await open({ database });
    const jdbc = `jdbc:mysql://${SERVER.host}:${SERVER.port}/${database}?useSSL=false&serverTimezone=GMT&allowPublicKeyRetrieval=true&useUnicode=true&characterEncoding=utf8`;
    const store = await open({ url: jdbc, user: SERVER.user!, password: SERVER.password! });
    assert.equal((await sql<{ d: string }>`select database() as d`.execute(store.db)).rows[0]?.d, database);
  });
});

describe('MySQL store: migrations from several processes', () => {
  test('four stores opening one new database at once: all open, each migration applied once', async () => {
    const database = freshDatabase();
    const started = Date.now();
    const opened = await Promise.all(Array.from({ length: 4 }, () => open({ database })));
    console.log(`# 4 concurrent opens of a new database: ${Date.now() - started} ms`);
    const { rows } = await sql<{ name: string; n: number }>`select name, count(*) as n from ${sql.table(PUSH_GROUP_MIGRATIONS.table)} group by name`.execute(opened[0]!.db);
    assert.ok(rows.length >= 5);
    for (const row of rows) assert.equal(Number(row.n), 1, row.name);
    for (const store of opened) await store.db.selectFrom('inbox_heads').selectAll().execute();
  });

  test("a migration lock held by another process: the open fails with STORE_UNAVAILABLE after migrationLockTimeoutMs, and works once it is released", async () => {
    const database = freshDatabase();
    const holder = await rawConnection();
    const [lock] = (await query(holder, 'select get_lock(?, 0) as l', [migrationLockName(database)])) as { l: number }[];
    assert.equal(Number(lock?.l), 1);
    const started = Date.now();
    await assert.rejects(open({ database, migrationLockTimeoutMs: 1000 }), isFscError('STORE_UNAVAILABLE'));
    const ms = Date.now() - started;
    assert.ok(ms >= 900 && ms < 5000, `failed after ${ms} ms`);
    await open({ database: freshDatabase() }); // the lock is per database: others migrate meanwhile
    holder.destroy(); // the session ends: its lock is released
    await open({ database, migrationLockTimeoutMs: 5000 });
  });
});

describe('MySQL store: bounded waits', () => {
  test('no free connection within acquireTimeoutMs: STORE_UNAVAILABLE; the pool serves again afterwards', async () => {
    const store = await open({ database: freshDatabase(), poolSize: 2, acquireTimeoutMs: 300 });
    const busy = [sql`select sleep(1.2)`.execute(store.db), sql`select sleep(1.2)`.execute(store.db)];
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await assert.rejects(sql`select 1`.execute(store.db), isFscError('STORE_UNAVAILABLE'));
    assert.ok(Date.now() - started < 1000);
    await Promise.all(busy);
    assert.equal((await sql<{ one: number }>`select 1 as one`.execute(store.db)).rows[0]?.one, 1);
  });

  test('a statement longer than queryTimeoutMs fails with STORE_UNAVAILABLE; its connection is dropped, not reused', async () => {
    const store = await open({ database: freshDatabase(), poolSize: 1, queryTimeoutMs: 400 });
    const { rows } = await sql<{ id: string }>`select connection_id() as id`.execute(store.db);
    const started = Date.now();
    await assert.rejects(sql`select sleep(3)`.execute(store.db), isFscError('STORE_UNAVAILABLE'));
    const ms = Date.now() - started;
    assert.ok(ms >= 350 && ms < 1500, `failed after ${ms} ms`);
    const { rows: after } = await sql<{ id: string }>`select connection_id() as id`.execute(store.db);
    assert.notEqual(String(after[0]?.id), String(rows[0]?.id), 'a new connection');
  });

  test('no server at the address: STORE_UNAVAILABLE; a wrong password or a missing database (createDatabase off): CONFIG_INVALID', async () => {
    const port = await closedPort();
    const started = Date.now();
    await assert.rejects(openMysqlStore<Schema>({ url: URI, port, database: freshDatabase(), connectTimeoutMs: 2000 }, SERVICE_MIGRATIONS), isFscError('STORE_UNAVAILABLE'));
    assert.ok(Date.now() - started < 3000);
    await assert.rejects(openMysqlStore<Schema>({ url: URI, password: 'wrong-password', database: freshDatabase() }, SERVICE_MIGRATIONS), isFscError('CONFIG_INVALID'));
    await assert.rejects(openMysqlStore<Schema>({ url: URI, database: freshDatabase(), createDatabase: false }, SERVICE_MIGRATIONS), isFscError('CONFIG_INVALID'));
  });

  test('close is idempotent and later queries fail', async () => {
    const store = await openMysqlStore<Schema>({ url: URI, database: freshDatabase() }, SERVICE_MIGRATIONS);
    await store.close();
    await store.close();
    await assert.rejects(store.db.insertInto('messages').values(messageRow('1')).execute(), /destroyed/);
  });
});

describe('MySQL store: throughput (loopback, pool of 10)', () => {
  test('inserts and point reads', async () => {
    const store = await open({ database: freshDatabase() });
    const N = 2000;
    let started = Date.now();
    for (let i = 0; i < 500; i++) await store.db.insertInto('kv').values({ k: `seq${i}`, v: 'x' }).execute();
    const sequentialInsert = (Date.now() - started) / 500;
    started = Date.now();
    await Promise.all(Array.from({ length: N }, (_, i) => store.db.insertInto('inbox').values({ uid: `u${i % 50}`, seq: i, mid: String(9007199254740993n + BigInt(i)) }).execute()));
    const concurrentInserts = Math.round(N / ((Date.now() - started) / 1000));
    started = Date.now();
    await Promise.all(Array.from({ length: N }, (_, i) => store.db.selectFrom('inbox').select('mid').where('uid', '=', `u${i % 50}`).where('seq', '=', i).executeTakeFirstOrThrow()));
    const concurrentReads = Math.round(N / ((Date.now() - started) / 1000));
    started = Date.now();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('messages').values(messageRow(String(i + 1))).execute();
          await trx.insertInto('inbox').values({ uid: 'tx', seq: i, mid: String(i + 1) }).execute();
        }),
      ),
    );
    const transactions = Math.round(200 / ((Date.now() - started) / 1000));
    console.log(`# sequential autocommit insert: ${sequentialInsert.toFixed(2)} ms each; concurrent inserts ${concurrentInserts}/s; point reads ${concurrentReads}/s; 2-insert transactions ${transactions}/s`);
  });
});

async function rawConnection(): Promise<Connection> {
  const connection = createConnection({ host: SERVER.host, port: SERVER.port, user: SERVER.user!, password: SERVER.password ?? '', connectTimeout: 5000 });
  connection.on('error', () => undefined);
  await query(connection, 'select 1');
  return connection;
}

function query(connection: Connection, statement: string, values: unknown[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => connection.query(statement, values, (err, result) => (err ? reject(err) : resolve(result))));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
