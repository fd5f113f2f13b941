import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Store as AnyStore } from '@fscpush/ports';
import { PUSH_API_MIGRATIONS, type ApiSchema } from '../../../push-api/src/store/index.ts';
import { PUSH_GROUP_MIGRATIONS, type Schema as GroupSchema } from '../../src/store/index.ts';
import { checkMobileNormalFormMigration } from './mobile-normal-form.ts';

type Schema = GroupSchema & ApiSchema;
type Store = AnyStore<Schema>;

/** What the all-in-one server migrates into its one database, in this order. */
export const SERVICE_MIGRATIONS = [PUSH_GROUP_MIGRATIONS, PUSH_API_MIGRATIONS];

/**
 * The store contract of the services' tables, run against every SQL adapter (SQLite in the unit tier,
 * MySQL/MariaDB in the cluster tier): what repositories may rely on whatever the dialect. Each test opens
 * a fresh database migrated with SERVICE_MIGRATIONS.
 */
export interface StoreContractOptions {
  /** A migrated store on a new, empty database. */
  fresh(): Promise<StoreUnderTest>;
}

export interface StoreUnderTest {
  store: Store;
  /** Opens another store on the same database, as a second process would. */
  openAgain(): Promise<Store>;
}

/** Every table the migrations create (a new migration's table belongs here too). */
export const SCHEMA_TABLES = [
  'api_keys',
  'api_settings',
  'blacklist',
  'delivered_positions',
  'friend_requests',
  'friends',
  'group_members',
  'groups',
  'inbox',
  'inbox_heads',
  'kv',
  'messages',
  'mobile_conflicts',
  'read_positions',
  'timeline',
  'timeline_heads',
  'user_sessions',
  'users',
] as const satisfies readonly (keyof Schema)[];

/** Text that needs 4-byte UTF-8 (utf8mb4 on MySQL): emoji, a skin-tone modifier, a musical symbol, CJK. */
export const EMOJI_TEXT = 'hello 🙂👍🏽 你好 𝄞 — ok';

export function messageRow(mid: string | bigint, overrides: Partial<Insertable<Schema['messages']>> = {}): Insertable<Schema['messages']> {
  return {
    mid,
    from_uid: 'u1',
    from_client: 'c1',
    conv_type: 0,
    conv_target: 'u2',
    conv_line: 0,
    conv_key: 'p:u1:u2',
    content_type: 1,
    searchable: '',
    content: '{}',
    to_users: '',
    created_at: 1_700_000_000_000,
    ...overrides,
  };
}

/** LIKE with '!' as the escape character, as the repositories write it (messages-repo, users-repo). */
function likeLiteral(column: string, keyword: string) {
  const pattern = `%${keyword.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '!'`;
}

export function describeStoreContract(name: string, options: StoreContractOptions): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    after(async () => {
      await Promise.all(opened.map((s) => s.close()));
    });
    const fresh = async (): Promise<StoreUnderTest> => {
      const handle = await options.fresh();
      opened.push(handle.store);
      return {
        store: handle.store,
        openAgain: async () => {
          const again = await handle.openAgain();
          opened.push(again);
          return again;
        },
      };
    };

    test('migrations create every table; opening again keeps the data and runs none twice', async () => {
      const { store, openAgain } = await fresh();
      const tables = (await store.db.introspection.getTables()).map((t) => t.name);
      for (const table of SCHEMA_TABLES) assert.ok(tables.includes(table), `table ${table} exists (have ${tables.join(', ')})`);
      const migrations = async (s: Store): Promise<string[]> =>
        (
          await Promise.all(SERVICE_MIGRATIONS.map(async (m) => (await sql<{ name: string }>`select name from ${sql.table(m.table)} order by name`.execute(s.db)).rows.map((r) => `${m.service}/${r.name}`)))
        ).flat();
      const applied = await migrations(store);
      assert.ok(applied.length >= 1 && new Set(applied).size === applied.length);
      await store.db.insertInto('kv').values({ k: 'hello', v: 'world' }).execute();
      const again = await openAgain();
      assert.deepEqual(await migrations(again), applied, 'nothing re-ran');
      assert.equal((await again.db.selectFrom('kv').select('v').where('k', '=', 'hello').executeTakeFirstOrThrow()).v, 'world');
    });

    test('migration 0010 normalises stored mobiles, lists accounts that collide, and takes mobiles out of names', async () => {
      await checkMobileNormalFormMigration(await fresh());
    });

    test('64-bit values above 2^53 round-trip exactly and compare numerically', async () => {
      const { store } = await fresh();
      const values = ['9007199254740993', '9223372036854775807', '-9223372036854775808', '9007199254740992', '1', '0'];
      let seq = 0;
      for (const mid of values) await store.db.insertInto('inbox').values({ uid: 'u1', seq: ++seq, mid }).execute();
      await store.db.insertInto('inbox').values({ uid: 'u2', seq: 1, mid: 9007199254740995n }).execute();
      await store.db.insertInto('messages').values(messageRow('9223372036854775001')).execute();
      const rows = await store.db.selectFrom('inbox').select(['seq', 'mid']).where('uid', '=', 'u1').orderBy('seq').execute();
      assert.deepEqual(rows.map((r) => String(r.mid)), values);
      assert.equal(String((await store.db.selectFrom('inbox').select('mid').where('uid', '=', 'u2').executeTakeFirstOrThrow()).mid), '9007199254740995');
      // lookups by a string id hit only that id, not its float neighbour
      const hit = await store.db.selectFrom('inbox').select('seq').where('mid', '=', '9007199254740993').execute();
      assert.deepEqual(hit.map((r) => Number(r.seq)), [1]);
      const above = await store.db.selectFrom('inbox').select('mid').where('mid', '>', '9007199254740992').orderBy('mid').execute();
      assert.deepEqual(above.map((r) => String(r.mid)), ['9007199254740993', '9007199254740995', '9223372036854775807']);
      const { head } = await store.db.selectFrom('inbox').select((eb) => eb.fn.max('mid').as('head')).executeTakeFirstOrThrow();
      assert.equal(String(head), '9223372036854775807');
      const joined = await store.db
        .selectFrom('messages')
        .select('mid')
        .where('mid', 'in', ['9223372036854775001', '9223372036854775000'])
        .execute();
      assert.deepEqual(joined.map((r) => String(r.mid)), ['9223372036854775001']);
      const { n } = await store.db.selectFrom('inbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n), 7, 'count(*) converts with Number()');
    });

    test('a transaction that throws, or hits a constraint, leaves nothing behind', async () => {
      const { store } = await fresh();
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
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('kv').values({ k: 'b', v: '1' }).execute();
          await trx.insertInto('kv').values({ k: 'kept', v: 'duplicate' }).execute();
        }),
      );
      const rows = await store.db.selectFrom('kv').select(['k', 'v']).execute();
      assert.deepEqual(rows.map((r) => `${r.k}=${r.v}`), ['kept=1']);
      assert.equal((await store.db.selectFrom('inbox').selectAll().execute()).length, 0);
    });

    test('the dialect capabilities: insert-or-skip, upserts, a raising upsert, duplicate and conflict errors', async () => {
      const { store } = await fresh();
      const { dialect } = store;
      const kv = async () => (await store.db.selectFrom('kv').select(['k', 'v']).orderBy('k').execute()).map((r) => `${r.k}=${r.v}`);
      await dialect.insertIgnore(store.db.insertInto('kv').values([{ k: 'a', v: '1' }, { k: 'b', v: '1' }]), ['k']).execute();
      await dialect.insertIgnore(store.db.insertInto('kv').values([{ k: 'a', v: '2' }, { k: 'c', v: '2' }]), ['k']).execute();
      assert.deepEqual(await kv(), ['a=1', 'b=1', 'c=2']);
      await dialect.upsert(store.db.insertInto('kv').values({ k: 'b', v: 'x' }), ['k'], { v: 'changed' }).execute();
      await dialect.upsertTakingNew(store.db.insertInto('kv').values([{ k: 'c', v: 'new' }, { k: 'd', v: 'new' }]), ['k'], ['v']).execute();
      assert.deepEqual(await kv(), ['a=1', 'b=changed', 'c=new', 'd=new']);

      const raise = (mid: string, at: number) =>
        dialect.upsertRaising(store.db.insertInto('read_positions').values({ uid: 'u', conv_key: 'p/u/v', mid, updated_at: at }), 'read_positions', ['uid', 'conv_key'], 'mid', ['updated_at']).execute();
      await raise('590112345678901248', 1);
      await raise('590112345678901300', 2);
      await raise('590112345678901250', 3); // lower: neither mid nor updated_at moves
      const position = await store.db.selectFrom('read_positions').select(['mid', 'updated_at']).executeTakeFirstOrThrow();
      assert.deepEqual([String(position.mid), Number(position.updated_at)], ['590112345678901300', 2]);

      const duplicate = await store.db.insertInto('kv').values({ k: 'a', v: 'again' }).execute().then(() => undefined, (err: unknown) => err);
      assert.ok(duplicate !== undefined, 'a duplicate key is refused');
      assert.equal(dialect.isDuplicate(duplicate), true);
      assert.equal(dialect.isDuplicate(new Error('something else')), false);
      assert.equal(dialect.isTransientConflict(new Error('something else')), false);
      assert.equal(dialect.embedded, dialect.name === 'sqlite');
    });

    test('reads answer while a write transaction is open, and see only what is committed', async () => {
      const { store } = await fresh();
      await store.db.insertInto('kv').values({ k: 'before', v: '1' }).execute();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const inside = new Promise<void>((resolve) => (written = resolve));
      const writing = store.db.transaction().execute(async (trx) => {
        await trx.insertInto('kv').values({ k: 'during', v: '1' }).execute();
        written();
        await held;
      });
      await inside;
      const whileOpen = await store.reads.selectFrom('kv').select('k').orderBy('k').execute();
      assert.deepEqual(whileOpen.map((r) => r.k), ['before'], 'the open transaction neither blocks the read nor shows through');
      release();
      await writing;
      const afterCommit = await store.reads.selectFrom('kv').select('k').orderBy('k').execute();
      assert.deepEqual(afterCommit.map((r) => r.k), ['before', 'during']);
    });

    test('concurrent transactions: atomic increments and locked read-modify-write lose nothing', async () => {
      const { store } = await fresh();
      const N = 24;
      await store.db.insertInto('inbox_heads').values([{ uid: 'atomic', seq: 0 }, { uid: 'locked', seq: 0 }]).execute();
      await Promise.all(
        Array.from({ length: N }, (_, i) =>
          store.db.transaction().execute(async (trx) => {
            await trx.updateTable('inbox_heads').set((eb) => ({ seq: eb('seq', '+', 1) })).where('uid', '=', 'atomic').execute();
            await sleep(i % 3); // yield mid-transaction so others interleave where they can
            await trx.insertInto('inbox').values({ uid: 'u', seq: i, mid: String(i) }).execute();
          }),
        ),
      );
      // what the message writer does (inbox-heads.ts): FOR UPDATE on MySQL; SQLite has one writer at a time
      await Promise.all(
        Array.from({ length: N }, (_, i) =>
          store.db.transaction().execute(async (trx) => lockedIncrement(trx, store.dialect, i)),
        ),
      );
      const heads = await store.db.selectFrom('inbox_heads').select(['uid', 'seq']).orderBy('uid').execute();
      assert.deepEqual(heads.map((r) => `${r.uid}=${String(r.seq)}`), [`atomic=${N}`, `locked=${N}`]);
      assert.equal((await store.db.selectFrom('inbox').select('seq').execute()).length, N);
    });

    test('4-byte characters (emoji) round-trip in varchar, text and long text columns; lengths count characters', async () => {
      const { store, openAgain } = await fresh();
      const name = '🙂'.repeat(128); // users.name is varchar(128): 128 characters, 512 bytes
      await store.db
        .insertInto('users')
        .values({ uid: 'u1', name, display_name: EMOJI_TEXT, portrait: '', mobile: null, email: '', address: '', company: '', social: '', extra: '', gender: 0, type: 0, status: 0, created_at: 1, updated_at: 1 })
        .execute();
      const content = JSON.stringify({ type: 1, searchableContent: EMOJI_TEXT, big: '🙂'.repeat(20_000) });
      await store.db.insertInto('messages').values(messageRow('1', { searchable: EMOJI_TEXT, content })).execute();
      const again = await openAgain();
      const user = await again.db.selectFrom('users').select(['name', 'display_name']).where('uid', '=', 'u1').executeTakeFirstOrThrow();
      assert.equal(user.name, name);
      assert.equal(user.display_name, EMOJI_TEXT);
      const message = await again.db.selectFrom('messages').select(['searchable', 'content']).executeTakeFirstOrThrow();
      assert.equal(message.searchable, EMOJI_TEXT);
      assert.equal(message.content, content);
      const found = await again.db.selectFrom('users').select('uid').where('display_name', '=', EMOJI_TEXT).execute();
      assert.equal(found.length, 1, 'equality on 4-byte text');
      const liked = await again.db.selectFrom('messages').select('mid').where(likeLiteral('searchable', '👍🏽 你')).execute();
      assert.equal(liked.length, 1, 'LIKE on 4-byte text');
    });

    test("LIKE with '!' as the escape character matches %, _, ! and \\ literally, on both dialects", async () => {
      const { store } = await fresh();
      const texts = ['100% sure', '100 percent', 'a_b', 'axb', 'wow!', 'wow', 'C:\\temp\\x', 'C:/temp/x', "it's", 'its', 'a!b', 'a!!b'];
      await store.db.insertInto('messages').values(texts.map((searchable, i) => messageRow(String(i + 1), { searchable }))).execute();
      const search = async (keyword: string): Promise<string[]> =>
        (await store.db.selectFrom('messages').select('searchable').where(likeLiteral('searchable', keyword)).orderBy('mid').execute()).map((r) => r.searchable);
      assert.deepEqual(await search('100%'), ['100% sure']);
      assert.deepEqual(await search('a_b'), ['a_b']);
      assert.deepEqual(await search('wow!'), ['wow!']);
      assert.deepEqual(await search('\\temp'), ['C:\\temp\\x'], 'a backslash is an ordinary character');
      assert.deepEqual(await search("'s"), ["it's"]);
      assert.deepEqual(await search('a!b'), ['a!b']);
      assert.deepEqual(await search('!!'), ['a!!b']);
      assert.deepEqual(await search('%'), ['100% sure']);
      assert.deepEqual(await search('_'), ['a_b']);
    });

    test('text compares case-sensitively and sorts by code point, as uids and paging need', async () => {
      const { store } = await fresh();
      const uids = ['b', 'B', 'a', 'A', '_x', '-x', '0', 'Zz', 'z'];
      for (const uid of uids) await store.db.insertInto('inbox_heads').values({ uid, seq: 1 }).execute();
      assert.equal((await store.db.selectFrom('inbox_heads').select('uid').where('uid', '=', 'a').execute()).length, 1, "'a' and 'A' are different keys");
      const sorted = (await store.db.selectFrom('inbox_heads').select('uid').orderBy('uid').execute()).map((r) => r.uid);
      assert.deepEqual(sorted, [...uids].sort(), 'the same order as a JS sort (ASCII)');
      // case-insensitive matching must be asked for: lower() on both sides gives the same answer on both dialects
      await store.db.insertInto('messages').values([messageRow('1', { searchable: 'Hello World' }), messageRow('2', { searchable: 'hello there' })]).execute();
      const ci = await store.db
        .selectFrom('messages')
        .select('mid')
        .where(sql<boolean>`lower(searchable) like lower(${'%HELLO%'}) escape '!'`)
        .orderBy('mid')
        .execute();
      assert.deepEqual(ci.map((r) => String(r.mid)), ['1', '2']);
    });
  });
}

async function lockedIncrement(trx: Kysely<Schema>, dialect: Store['dialect'], i: number): Promise<void> {
  const read = dialect.lockRows(trx.selectFrom('inbox_heads').select('seq').where('uid', '=', 'locked'));
  const { seq } = await read.executeTakeFirstOrThrow();
  await sleep(i % 2);
  await trx.updateTable('inbox_heads').set({ seq: String(BigInt(seq as string | number | bigint) + 1n) }).where('uid', '=', 'locked').execute();
}
