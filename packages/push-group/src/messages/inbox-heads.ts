import type { Kysely, Transaction } from 'kysely';
import type { Schema, SqlDialect } from '../store/index.ts';
import { PreparedQuery } from '../repos/prepared-query.ts';

const CHUNK = 500;
const CACHED_HEADS = 500_000;

/**
 * Per-user inbox heads, read and written inside the writer's transaction. On MySQL the rows are locked
 * (SELECT … FOR UPDATE, in uid order), so concurrent writers in other processes wait for the commit and
 * continue from the committed head: per user, seq order is commit order across the whole cluster.
 * SQLite has a single writer, so plain reads suffice there, and this process knows every committed head
 * it wrote: with `cacheCommitted` they are kept in memory (the writer reports them after each commit), so
 * the head read of every pull and the writer's own head reads skip the store for recently written users.
 */
export class InboxHeads {
  private readonly db: Kysely<Schema>;
  private readonly dialect: SqlDialect;
  /** on every pull and CONNECT */
  private readonly headQuery;
  /** users known to have a head row (bounded; forgetting one only costs a no-op insert) */
  private readonly known = new Set<string>();
  /** committed heads written by this process (only when it is the only writer); Map order = oldest first */
  private readonly cache: Map<string, bigint> | undefined;

  constructor(db: Kysely<Schema>, dialect: SqlDialect, options: { cacheCommitted?: boolean } = {}) {
    this.db = db;
    this.dialect = dialect;
    if (options.cacheCommitted === true) {
      if (!dialect.embedded) throw new Error('inbox heads can be cached only by the only writer (embedded SQLite)');
      this.cache = new Map();
    }
    this.headQuery = new PreparedQuery(db, (uid: string) => db.selectFrom('inbox_heads').select('seq').where('uid', '=', uid));
  }

  /**
   * MySQL: makes sure every user has a head row BEFORE the writer's transaction locks them. Locking a
   * missing row takes an InnoDB gap lock, and two writers inserting into the same gap deadlock; with the
   * rows present, writers lock existing rows in uid order and simply queue.
   */
  async ensureRows(uids: string[]): Promise<void> {
    if (this.dialect.embedded) return;
    const missing = [...new Set(uids.filter((uid) => !this.known.has(uid)))].sort();
    for (let i = 0; i < missing.length; i += CHUNK) {
      const chunk = missing.slice(i, i + CHUNK);
      await this.dialect.insertIgnore(this.db.insertInto('inbox_heads').values(chunk.map((uid) => ({ uid, seq: '0' }))), ['uid']).execute();
      for (const uid of chunk) this.known.add(uid);
    }
    if (this.known.size > 500_000) this.known.clear();
  }

  async lock(trx: Transaction<Schema>, uids: string[]): Promise<Map<string, bigint>> {
    const heads = new Map<string, bigint>(uids.map((uid) => [uid, 0n]));
    const cache = this.cache;
    const sorted = (cache ? uids.filter((uid) => !cache.has(uid)) : [...uids]).sort();
    if (cache) for (const uid of uids) if (cache.has(uid)) heads.set(uid, cache.get(uid)!);
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const query = this.dialect.lockRows(trx.selectFrom('inbox_heads').select(['uid', 'seq']).where('uid', 'in', sorted.slice(i, i + CHUNK)).orderBy('uid'));
      for (const row of await query.execute()) heads.set(row.uid, BigInt(row.seq as string | number | bigint));
    }
    return heads;
  }

  async store(trx: Transaction<Schema>, heads: Map<string, bigint>): Promise<void> {
    const rows = [...heads].map(([uid, seq]) => ({ uid, seq: seq.toString() }));
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.dialect.upsertTakingNew(trx.insertInto('inbox_heads').values(rows.slice(i, i + CHUNK)), ['uid'], ['seq']).execute();
    }
  }

  /** After the transaction that stored these heads committed (not after a rollback). */
  committed(heads: ReadonlyMap<string, bigint>): void {
    const cache = this.cache;
    if (!cache) return;
    for (const [uid, seq] of heads) {
      cache.delete(uid);
      cache.set(uid, seq);
    }
    if (cache.size > CACHED_HEADS) {
      let excess = cache.size - CACHED_HEADS;
      for (const uid of cache.keys()) {
        if (excess-- <= 0) break;
        cache.delete(uid);
      }
    }
  }

  async of(uid: string): Promise<bigint> {
    // a miss is not cached: a read that overtakes a commit would otherwise leave an old head behind
    const cached = this.cache?.get(uid);
    if (cached !== undefined) return cached;
    const row = await this.headQuery.first(uid);
    return row ? BigInt(row.seq as string | number | bigint) : 0n;
  }
}
