import type { Kysely } from 'kysely';
import type { Schema } from '@fscpush/infra/store';
import { PreparedQuery } from './prepared-query.ts';

export type PositionTableName = 'delivered_positions' | 'read_positions';

/** receipts are advisory: a few ms of delay lets one commit carry the advances of many pulls */
const FLUSH_DELAY_MS = 10;

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
 */
export class PositionsRepo {
  private readonly db: Kysely<Schema>;
  private readonly updates: Record<PositionTableName, PreparedQuery<[string, number, string, string, string], unknown>>;
  private readonly inserts: Record<PositionTableName, PreparedQuery<[string, string, string, number], unknown>>;
  private queue: PendingAdvance[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** the running flush, so reads can wait for advances requested before them */
  private flushing: Promise<void> = Promise.resolve();

  constructor(db: Kysely<Schema>) {
    this.db = db;
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
