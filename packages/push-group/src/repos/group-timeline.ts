import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema, SqlDialect } from '../store/index.ts';
import { PreparedQuery } from './prepared-query.ts';

const CHUNK = 500;

/** One message of a group timeline, with what decides who may have it. */
export interface TimelineEntry {
  gseq: bigint;
  mid: string;
  fromUid: string;
  /** the message's receiver list when it was sent to some members only */
  toUsers: Set<string> | undefined;
}

/** How far one member's inbox has taken a group's timeline. */
export interface TimelineCursor {
  seq: bigint;
  /** removed members: the timeline head when they left; null while a member */
  until: bigint | null;
}

/** Whether `uid`'s inbox gets a timeline entry: all of the group, or the listed receivers and the sender. */
export function entryIsFor(entry: TimelineEntry, uid: string): boolean {
  return entry.toUsers === undefined || entry.toUsers.has(uid) || entry.fromUid === uid;
}

/**
 * The timelines of lazy groups: each message stored once per group, in send order (gseq), and per member a
 * cursor up to which their inbox has it. Lock order, for every writer: timeline heads (gid order), then
 * inbox heads (uid order), then member rows. On MySQL a sender holds its group's head exclusively; a
 * catching-up reader holds the heads of its groups shared, so it waits for in-flight sends of those groups
 * and sees them committed. SQLite has one connection and one writer: its transactions never interleave.
 */
export class GroupTimeline {
  private readonly db: Kysely<Schema>;
  private readonly dialect: SqlDialect;
  /** every pull: the lazy groups whose timeline ran ahead of this user's inbox */
  private readonly laggingQuery;
  /** every CONNECT on MySQL */
  private readonly lazyGroupsQuery;
  /** groups known to have a head row */
  private readonly known = new Set<string>();

  constructor(db: Kysely<Schema>, dialect: SqlDialect) {
    this.db = db;
    this.dialect = dialect;
    this.laggingQuery = new PreparedQuery(db, (uid: string) => db
      .selectFrom('group_members as gm')
      .innerJoin('timeline_heads as th', 'th.gid', 'gm.gid')
      .select('gm.gid')
      .where('gm.uid', '=', uid)
      .where(sql<boolean>`gm.tl_seq < (case when gm.removed = 0 then th.seq else coalesce(gm.tl_until, 0) end)`));
    this.lazyGroupsQuery = new PreparedQuery(db, (uid: string) => db
      .selectFrom('group_members as gm')
      .innerJoin('timeline_heads as th', 'th.gid', 'gm.gid')
      .select('gm.gid')
      .where('gm.uid', '=', uid)
      .where('gm.removed', '=', 0));
  }

  /** Lazy groups (gid order) whose timeline holds entries `uid`'s inbox has not taken yet (committed state, no lock). */
  async lagging(uid: string): Promise<string[]> {
    return (await this.laggingQuery.rows(uid)).map((r) => r.gid).sort();
  }

  /** The lazy groups `uid` is a member of, gid order. */
  async lazyGroupsOf(uid: string): Promise<string[]> {
    return (await this.lazyGroupsQuery.rows(uid)).map((r) => r.gid).sort();
  }

  /** Creates a group's timeline (head 0) if it has none (a lazy group gets one when it turns lazy). */
  async create(executor: Kysely<Schema>, gid: string): Promise<void> {
    await this.dialect.insertIgnore(executor.insertInto('timeline_heads').values({ gid, seq: '0' }), ['gid']).execute();
  }

  /** Before a sender's transaction: every group it posts to has a head row to lock (no gap locks on MySQL). */
  async ensureHeads(gids: string[]): Promise<void> {
    for (const gid of gids) {
      if (this.known.has(gid)) continue;
      await this.create(this.db, gid);
      this.known.add(gid);
    }
    if (this.known.size > 100_000) this.known.clear();
  }

  /** Heads of `gids`, locked exclusively (senders, membership changes) or shared (catching-up readers) on MySQL. */
  async lockHeads(trx: Transaction<Schema>, gids: string[], mode: 'update' | 'share'): Promise<Map<string, bigint>> {
    const heads = new Map<string, bigint>();
    const sorted = [...new Set(gids)].sort();
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const query = this.dialect.lockRows(trx.selectFrom('timeline_heads').select(['gid', 'seq']).where('gid', 'in', sorted.slice(i, i + CHUNK)).orderBy('gid'), mode);
      for (const row of await query.execute()) heads.set(row.gid, BigInt(row.seq));
    }
    return heads;
  }

  async storeHeads(trx: Transaction<Schema>, heads: Map<string, bigint>): Promise<void> {
    for (const [gid, seq] of heads) await trx.updateTable('timeline_heads').set({ seq: seq.toString() }).where('gid', '=', gid).execute();
  }

  async append(trx: Transaction<Schema>, rows: { gid: string; gseq: bigint; mid: string }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx.insertInto('timeline').values(rows.slice(i, i + CHUNK).map((r) => ({ gid: r.gid, gseq: r.gseq.toString(), mid: r.mid }))).execute();
    }
  }

  /** Cursors of these members of one group (members without a row are left out). */
  async cursorsInGroup(trx: Transaction<Schema>, gid: string, uids: string[]): Promise<Map<string, TimelineCursor>> {
    const cursors = new Map<string, TimelineCursor>();
    const sorted = [...uids].sort();
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const query = this.dialect.lockRows(
        trx.selectFrom('group_members').select(['uid', 'tl_seq', 'tl_until', 'removed']).where('gid', '=', gid).where('uid', 'in', sorted.slice(i, i + CHUNK)).orderBy('uid'),
      );
      for (const row of await query.execute()) cursors.set(row.uid, toCursor(row));
    }
    return cursors;
  }

  /** Cursors of one member in these groups. */
  async cursorsOfMember(trx: Transaction<Schema>, uid: string, gids: string[]): Promise<Map<string, TimelineCursor>> {
    const cursors = new Map<string, TimelineCursor>();
    if (gids.length === 0) return cursors;
    const query = this.dialect.lockRows(trx.selectFrom('group_members').select(['gid', 'tl_seq', 'tl_until', 'removed']).where('uid', '=', uid).where('gid', 'in', gids).orderBy('gid'));
    for (const row of await query.execute()) cursors.set(row.gid, toCursor(row));
    return cursors;
  }

  /** Moves these members' cursors in one group to `seq`. */
  async advance(trx: Transaction<Schema>, gid: string, uids: string[], seq: bigint): Promise<void> {
    const sorted = [...uids].sort();
    for (let i = 0; i < sorted.length; i += CHUNK) {
      await trx.updateTable('group_members').set({ tl_seq: seq.toString() }).where('gid', '=', gid).where('uid', 'in', sorted.slice(i, i + CHUNK)).execute();
    }
  }

  /** Entries with after < gseq ≤ upto, in order, at most `limit`. */
  async entries(trx: Transaction<Schema>, gid: string, after: bigint, upto: bigint, limit: number): Promise<TimelineEntry[]> {
    const rows = await trx
      .selectFrom('timeline')
      .innerJoin('messages', 'messages.mid', 'timeline.mid')
      .select(['timeline.gseq', 'timeline.mid', 'messages.from_uid', 'messages.to_users'])
      .where('timeline.gid', '=', gid)
      .where('timeline.gseq', '>', after.toString())
      .where('timeline.gseq', '<=', upto.toString())
      .orderBy('timeline.gseq', 'asc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      gseq: BigInt(r.gseq),
      mid: String(r.mid),
      fromUid: r.from_uid,
      toUsers: r.to_users === '' ? undefined : new Set(r.to_users.split(',')),
    }));
  }
}

/** The last gseq a member may take: the head while a member, the head at removal after it (nothing if unknown). */
export function cursorLimit(cursor: TimelineCursor, head: bigint): bigint {
  if (cursor.until === null) return head;
  return cursor.until < head ? cursor.until : head;
}

function toCursor(row: { tl_seq: string | number | bigint; tl_until: string | number | bigint | null; removed: number }): TimelineCursor {
  const removed = Number(row.removed) === 1;
  const seq = BigInt(row.tl_seq);
  // a member removed before the group became lazy has no tl_until: nothing more for them
  const until = row.tl_until === null ? (removed ? seq : null) : BigInt(row.tl_until);
  return { seq, until };
}
