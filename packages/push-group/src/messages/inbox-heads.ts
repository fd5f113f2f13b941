import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema, StoreDialect } from '@fscpush/infra/store';
import { PreparedQuery } from '../repos/prepared-query.ts';

const CHUNK = 500;

/**
 * Per-user inbox heads, read and written inside the writer's transaction. On MySQL the rows are locked
 * (SELECT … FOR UPDATE, in uid order), so concurrent writers in other processes wait for the commit and
 * continue from the committed head: per user, seq order is commit order across the whole cluster.
 * SQLite has a single writer, so plain reads suffice there.
 */
export class InboxHeads {
  private readonly db: Kysely<Schema>;
  private readonly dialect: StoreDialect;
  /** on every pull and CONNECT */
  private readonly headQuery;
  /** users known to have a head row (bounded; forgetting one only costs a no-op insert) */
  private readonly known = new Set<string>();

  constructor(db: Kysely<Schema>, dialect: StoreDialect) {
    this.db = db;
    this.dialect = dialect;
    this.headQuery = new PreparedQuery(db, (uid: string) => db.selectFrom('inbox_heads').select('seq').where('uid', '=', uid));
  }

  /**
   * MySQL: makes sure every user has a head row BEFORE the writer's transaction locks them. Locking a
   * missing row takes an InnoDB gap lock, and two writers inserting into the same gap deadlock; with the
   * rows present, writers lock existing rows in uid order and simply queue.
   */
  async ensureRows(uids: string[]): Promise<void> {
    if (this.dialect !== 'mysql') return;
    const missing = [...new Set(uids.filter((uid) => !this.known.has(uid)))].sort();
    for (let i = 0; i < missing.length; i += CHUNK) {
      const chunk = missing.slice(i, i + CHUNK);
      await this.db.insertInto('inbox_heads').ignore().values(chunk.map((uid) => ({ uid, seq: '0' }))).execute();
      for (const uid of chunk) this.known.add(uid);
    }
    if (this.known.size > 500_000) this.known.clear();
  }

  async lock(trx: Transaction<Schema>, uids: string[]): Promise<Map<string, bigint>> {
    const heads = new Map<string, bigint>(uids.map((uid) => [uid, 0n]));
    const sorted = [...uids].sort();
    for (let i = 0; i < sorted.length; i += CHUNK) {
      let query = trx.selectFrom('inbox_heads').select(['uid', 'seq']).where('uid', 'in', sorted.slice(i, i + CHUNK)).orderBy('uid');
      if (this.dialect === 'mysql') query = query.forUpdate();
      for (const row of await query.execute()) heads.set(row.uid, BigInt(row.seq as string | number | bigint));
    }
    return heads;
  }

  async store(trx: Transaction<Schema>, heads: Map<string, bigint>): Promise<void> {
    const rows = [...heads].map(([uid, seq]) => ({ uid, seq: seq.toString() }));
    for (let i = 0; i < rows.length; i += CHUNK) {
      const insert = trx.insertInto('inbox_heads').values(rows.slice(i, i + CHUNK));
      if (this.dialect === 'mysql') await insert.onDuplicateKeyUpdate({ seq: sql`values(seq)` }).execute();
      else await insert.onConflict((oc) => oc.column('uid').doUpdateSet({ seq: (eb) => eb.ref('excluded.seq') })).execute();
    }
  }

  async of(uid: string): Promise<bigint> {
    const row = await this.headQuery.first(uid);
    return row ? BigInt(row.seq as string | number | bigint) : 0n;
  }
}
