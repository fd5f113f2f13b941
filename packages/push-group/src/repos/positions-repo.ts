import { sql, type Kysely } from 'kysely';
import type { Schema, StoreDialect } from '@fscpush/infra/store';
import { PreparedQuery } from './prepared-query.ts';

export type PositionTableName = 'delivered_positions' | 'read_positions';

/** receipts are advisory: a few ms of delay lets one commit carry the advances of many pulls */
const FLUSH_DELAY_MS = 10;
/** rows per statement of a MySQL batch */
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
 * On MySQL a batch is two statements per table, whatever its size (each statement is a round trip): one
 * SELECT of the current positions, then one multi-row upsert that only ever raises a position
 * (GREATEST), so a concurrent advance from another process can never move one backwards.
 */
export class PositionsRepo {
  private readonly db: Kysely<Schema>;
  private readonly dialect: StoreDialect;
  private readonly updates: Record<PositionTableName, PreparedQuery<[string, number, string, string, string], unknown>>;
  private readonly inserts: Record<PositionTableName, PreparedQuery<[string, string, string, number], unknown>>;
  private queue: PendingAdvance[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** the running flush, so reads can wait for advances requested before them */
  private flushing: Promise<void> = Promise.resolve();

  constructor(db: Kysely<Schema>, dialect: StoreDialect = 'sqlite') {
    this.db = db;
    this.dialect = dialect;
    const update = (table: PositionTableName) => new PreparedQuery(db, (mid: string, at: number, uid: string, convKey: string, below: string) =>
      db.updateTable(table).set({ mid, updated_at: at }).where('uid', '=', uid).where('conv_key', '=', convKey).where('mid', '<', below));
    const insert = (table: PositionTableName) => new PreparedQuery(db, (uid: string, convKey: string, mid: string, at: number) =>
      db.insertInto(table).values({ uid, conv_key: convKey, mid, updated_at: at }));
    this.updates = { delivered_positions: update('delivered_positions'), read_positions: update('read_positions') };
    this.inserts = { delivered_positions: insert('delivered_positions'), read_positions: insert('read_positions') };
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
      if (this.dialect === 'mysql') {
        const results = await this.advanceBatched(batch);
        batch.forEach((req, i) => req.resolve(results[i]!));
        return;
      }
      const results = await this.db.transaction().execute(async (trx) => {
        const out: Map<string, bigint>[] = [];
        for (const req of batch) out.push(await this.advanceIn(trx, req));
        return out;
      });
      batch.forEach((req, i) => req.resolve(results[i]!));
    } catch (err) {
      for (const req of batch) req.reject(err);
    }
  }

  private async advanceIn(trx: Kysely<Schema>, req: PendingAdvance): Promise<Map<string, bigint>> {
    const advanced = new Map<string, bigint>();
    const now = Date.now();
    for (const [convKey, mid] of [...req.positions].sort(([a], [b]) => compare(a, b))) {
      const updated = await this.updates[req.table].runOn(trx, mid.toString(), now, req.uid, convKey, mid.toString());
      if (Number(updated.numAffectedRows ?? 0) > 0) {
        advanced.set(convKey, mid);
        continue;
      }
      try {
        await this.inserts[req.table].runOn(trx, req.uid, convKey, mid.toString(), now);
        advanced.set(convKey, mid);
      } catch {
        // the row exists with a position at or beyond mid
      }
    }
    return advanced;
  }

  /** MySQL: per table, one read of the current positions and one upsert of those that advance. */
  private async advanceBatched(batch: PendingAdvance[]): Promise<Map<string, bigint>[]> {
    const results = batch.map(() => new Map<string, bigint>());
    const now = Date.now();
    for (const table of ['delivered_positions', 'read_positions'] as const) {
      const reqs = batch.map((req, i) => ({ req, i })).filter(({ req }) => req.table === table);
      if (reqs.length === 0) continue;
      const current = await this.currentPositions(table, reqs.flatMap(({ req }) => [...req.positions.keys()].map((convKey) => [req.uid, convKey] as const)));
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
      for (let i = 0; i < rows.length; i += CHUNK) await this.upsert(table, rows.slice(i, i + CHUNK));
    }
    return results;
  }

  private async currentPositions(table: PositionTableName, keys: (readonly [string, string])[]): Promise<Map<string, bigint>> {
    const current = new Map<string, bigint>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const rows = await this.db
        .selectFrom(table)
        .select(['uid', 'conv_key', 'mid'])
        .where((eb) => eb(eb.refTuple('uid', 'conv_key'), 'in', chunk.map(([uid, convKey]) => eb.tuple(uid, convKey))))
        .execute();
      for (const r of rows) current.set(rowKey(r.uid, r.conv_key), BigInt(r.mid as string | number | bigint));
    }
    return current;
  }

  /** One autocommitted statement; the position only ever rises, and updated_at moves with it. */
  private async upsert(table: PositionTableName, rows: { uid: string; conv_key: string; mid: string; updated_at: number }[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db
          .insertInto(table)
          .values(rows)
          // assignments run left to right: updated_at compares with the old mid before mid is raised
          .onDuplicateKeyUpdate({ updated_at: sql`if(values(mid) > mid, values(updated_at), updated_at)`, mid: sql`greatest(mid, values(mid))` })
          .execute();
        return;
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || (err as { code?: unknown }).code !== 'ER_LOCK_DEADLOCK') throw err;
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
