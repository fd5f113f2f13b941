import type { Kysely } from 'kysely';
import type { Schema, SqlDialect } from '../store/index.ts';

export type PositionTableName = 'delivered_positions' | 'read_positions';

/** receipts are advisory: a few ms of delay lets one commit carry the advances of many pulls */
const FLUSH_DELAY_MS = 10;
/** rows per statement of a batch */
const CHUNK = 500;
/** a batch upsert that deadlocked with another push-group's is redone this often */
const MAX_ATTEMPTS = 3;

interface PendingAdvance {
  table: PositionTableName;
  uid: string;
  positions: Map<string, bigint>;
  resolve: (advanced: Map<string, bigint>) => void;
  reject: (err: unknown) => void;
}

/**
 * Monotonic per-(user, conversation) message positions: a position never moves backwards.
 * Every pull advances its user's delivered positions, so advances are written behind: those requested
 * within FLUSH_DELAY_MS share one transaction (one commit instead of one per pull), each still
 * answered with exactly the conversations it advanced. Rows are touched in (table, uid, conversation)
 * order, so two push-group processes batching against MySQL lock them in the same order.
 * A batch is two statements per table and CHUNK rows, whatever its size: one SELECT of the current
 * positions, then one multi-row upsert that only ever raises a position (GREATEST / max), so a concurrent
 * advance from another process can never move one backwards. SQLite runs them in one transaction.
 */
export class PositionsRepo {
  private readonly db: Kysely<Schema>;
  private readonly dialect: SqlDialect;
  private queue: PendingAdvance[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** the running flush, so reads can wait for advances requested before them */
  private flushing: Promise<void> = Promise.resolve();

  constructor(db: Kysely<Schema>, dialect: SqlDialect) {
    this.db = db;
    this.dialect = dialect;
  }

  /** Moves each position forward; returns the conversations whose position actually advanced. */
  advance(table: PositionTableName, uid: string, positions: Map<string, bigint>): Promise<Map<string, bigint>> {
    if (positions.size === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      this.queue.push({ table, uid, positions, resolve, reject });
      if (this.queue.length === 1) this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
    });
  }

  /** Reads see every advance requested before them: a waiting batch is written first. */
  private async settled(): Promise<void> {
    if (this.queue.length > 0) void this.flush();
    await this.flushing;
  }

  private flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.writeBatch());
    return this.flushing;
  }

  private async writeBatch(): Promise<void> {
    if (this.queue.length === 0) return;
    const batch = this.queue.sort((a, b) => (a.table === b.table ? compare(a.uid, b.uid) : compare(a.table, b.table)));
    this.queue = [];
    try {
      // embedded: one commit for the batch; a shared server: autocommitted statements (another push-group may hold rows: no long locks)
      const results = this.dialect.embedded ? await this.db.transaction().execute((trx) => this.advanceBatched(trx, batch)) : await this.advanceBatched(this.db, batch);
      batch.forEach((req, i) => req.resolve(results[i]!));
    } catch (err) {
      for (const req of batch) req.reject(err);
    }
  }

  /** Per table, one read of the current positions and one upsert of those that advance (per CHUNK rows). */
  private async advanceBatched(db: Kysely<Schema>, batch: PendingAdvance[]): Promise<Map<string, bigint>[]> {
    const results = batch.map(() => new Map<string, bigint>());
    const now = Date.now();
    for (const table of ['delivered_positions', 'read_positions'] as const) {
      const reqs = batch.map((req, i) => ({ req, i })).filter(({ req }) => req.table === table);
      if (reqs.length === 0) continue;
      const current = await this.currentPositions(db, table, reqs.flatMap(({ req }) => [...req.positions.keys()].map((convKey) => [req.uid, convKey] as const)));
      const raised = new Map<string, { uid: string; conv_key: string; mid: string; updated_at: number }>();
      for (const { req, i } of reqs) {
        for (const [convKey, mid] of req.positions) {
          const key = rowKey(req.uid, convKey);
          const at = current.get(key);
          if (at !== undefined && at >= mid) continue;
          current.set(key, mid);
          results[i]!.set(convKey, mid);
          raised.set(key, { uid: req.uid, conv_key: convKey, mid: mid.toString(), updated_at: now });
        }
      }
      const rows = [...raised.values()].sort((a, b) => compare(a.uid, b.uid) || compare(a.conv_key, b.conv_key));
      for (let i = 0; i < rows.length; i += CHUNK) await this.upsert(db, table, rows.slice(i, i + CHUNK));
    }
    return results;
  }

  private async currentPositions(db: Kysely<Schema>, table: PositionTableName, keys: (readonly [string, string])[]): Promise<Map<string, bigint>> {
    const current = new Map<string, bigint>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const rows = await db
        .selectFrom(table)
        .select(['uid', 'conv_key', 'mid'])
        .where((eb) => eb(eb.refTuple('uid', 'conv_key'), 'in', chunk.map(([uid, convKey]) => eb.tuple(uid, convKey))))
        .execute();
      for (const r of rows) current.set(rowKey(r.uid, r.conv_key), BigInt(r.mid as string | number | bigint));
    }
    return current;
  }

  /** One statement; the position only ever rises, and updated_at moves with it. */
  private async upsert(db: Kysely<Schema>, table: PositionTableName, rows: { uid: string; conv_key: string; mid: string; updated_at: number }[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dialect.upsertRaising(db.insertInto(table).values(rows), table, ['uid', 'conv_key'], 'mid', ['updated_at']).execute();
        return;
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !this.dialect.isTransientConflict(err)) throw err;
      }
    }
  }

  async of(table: PositionTableName, uid: string, convKeys: string[]): Promise<Map<string, bigint>> {
    if (convKeys.length === 0) return new Map();
    await this.settled();
    const rows = await this.db.selectFrom(table).select(['conv_key', 'mid']).where('uid', '=', uid).where('conv_key', 'in', convKeys).execute();
    return new Map(rows.map((r) => [r.conv_key, BigInt(r.mid as string | number | bigint)]));
  }

  /** How many users other than `except` are at or beyond mid in the conversation. */
  async countAtOrBeyond(table: PositionTableName, convKey: string, mid: string, except: string): Promise<number> {
    await this.settled();
    const row = await this.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('conv_key', '=', convKey)
      .where('mid', '>=', mid)
      .where('uid', '!=', except)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rowKey(uid: string, convKey: string): string {
  return `${uid}\u0000${convKey}`;
}
