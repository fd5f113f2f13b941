import type { Kysely } from 'kysely';
import type { Schema } from '@fscpush/infra/store';

export type PositionTableName = 'delivered_positions' | 'read_positions';

/** Monotonic per-(user, conversation) message positions: a position never moves backwards. */
export class PositionsRepo {
  private readonly db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  /** Moves each position forward; returns the conversations whose position actually advanced. */
  async advance(table: PositionTableName, uid: string, positions: Map<string, bigint>): Promise<Map<string, bigint>> {
    const advanced = new Map<string, bigint>();
    const now = Date.now();
    for (const [convKey, mid] of positions) {
      const updated = await this.db
        .updateTable(table)
        .set({ mid: mid.toString(), updated_at: now })
        .where('uid', '=', uid)
        .where('conv_key', '=', convKey)
        .where('mid', '<', mid.toString())
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) {
        advanced.set(convKey, mid);
        continue;
      }
      try {
        await this.db.insertInto(table).values({ uid, conv_key: convKey, mid: mid.toString(), updated_at: now }).execute();
        advanced.set(convKey, mid);
      } catch {
        // the row exists with a position at or beyond mid
      }
    }
    return advanced;
  }

  async of(table: PositionTableName, uid: string, convKeys: string[]): Promise<Map<string, bigint>> {
    if (convKeys.length === 0) return new Map();
    const rows = await this.db.selectFrom(table).select(['conv_key', 'mid']).where('uid', '=', uid).where('conv_key', 'in', convKeys).execute();
    return new Map(rows.map((r) => [r.conv_key, BigInt(r.mid as string | number | bigint)]));
  }

  /** How many users other than `except` are at or beyond mid in the conversation. */
  async countAtOrBeyond(table: PositionTableName, convKey: string, mid: string, except: string): Promise<number> {
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
