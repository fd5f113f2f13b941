import type { Kysely } from 'kysely';
import { FriendRequestStatus } from '@fscpush/core';
import type { Schema } from '../store/index.ts';

export interface FriendRequestRow {
  from: string;
  target: string;
  reason: string;
  status: number;
  fromRead: boolean;
  toRead: boolean;
  updatedAt: number;
}

const COLUMNS = ['uid', 'target', 'reason', 'status', 'from_read', 'to_read', 'updated_at'] as const;

/** One row per (requester, target): a repeated request replaces the earlier one. `version` becomes updated_at. */
export class FriendRequestsRepo {
  private readonly db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  async find(from: string, target: string): Promise<FriendRequestRow | undefined> {
    const row = await this.db.selectFrom('friend_requests').select(COLUMNS).where('uid', '=', from).where('target', '=', target).executeTakeFirst();
    return row && toRow(row);
  }

  /** A new or repeated request: pending again, unread by the target. */
  async putSent(from: string, target: string, reason: string, version: number): Promise<void> {
    const values = { reason, status: FriendRequestStatus.SENT, from_read: 1, to_read: 0, updated_at: version };
    if (await this.find(from, target)) {
      await this.db.updateTable('friend_requests').set(values).where('uid', '=', from).where('target', '=', target).execute();
    } else {
      await this.db.insertInto('friend_requests').values({ uid: from, target, ...values }).execute();
    }
  }

  /**
   * Moves a request from status `expected` to `status`: read by the target who handled it, news for the
   * requester. False when no request in status `expected` exists (checked and written in one statement).
   */
  async transition(from: string, target: string, expected: number, status: number, version: number): Promise<boolean> {
    const result = await this.db
      .updateTable('friend_requests')
      .set({ status, from_read: 0, to_read: 1, updated_at: version })
      .where('uid', '=', from)
      .where('target', '=', target)
      .where('status', '=', expected)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Requests uid sent or received changed after `since`, oldest change first. */
  async involving(uid: string, since: number, limit: number): Promise<FriendRequestRow[]> {
    const sent = await this.db.selectFrom('friend_requests').select(COLUMNS).where('uid', '=', uid).where('updated_at', '>', since).orderBy('updated_at', 'asc').limit(limit).execute();
    const received = await this.db.selectFrom('friend_requests').select(COLUMNS).where('target', '=', uid).where('updated_at', '>', since).orderBy('updated_at', 'asc').limit(limit).execute();
    return [...sent, ...received].map(toRow).sort((a, b) => a.updatedAt - b.updatedAt).slice(0, limit);
  }

  async markReadUpTo(uid: string, upTo: number): Promise<void> {
    await this.db.updateTable('friend_requests').set({ to_read: 1 }).where('target', '=', uid).where('to_read', '=', 0).where('updated_at', '<=', upTo).execute();
  }

  async unreadCount(uid: string): Promise<number> {
    const row = await this.db
      .selectFrom('friend_requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('target', '=', uid)
      .where('to_read', '=', 0)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The friend request head: the newest change to a request uid sent or received (0 if none). */
  async head(uid: string): Promise<number> {
    const sent = await this.db.selectFrom('friend_requests').select((eb) => eb.fn.max('updated_at').as('h')).where('uid', '=', uid).executeTakeFirst();
    const received = await this.db.selectFrom('friend_requests').select((eb) => eb.fn.max('updated_at').as('h')).where('target', '=', uid).executeTakeFirst();
    return Math.max(Number(sent?.h ?? 0), Number(received?.h ?? 0));
  }
}

function toRow(row: { uid: string; target: string; reason: string; status: number; from_read: number; to_read: number; updated_at: unknown }): FriendRequestRow {
  return {
    from: row.uid,
    target: row.target,
    reason: row.reason,
    status: Number(row.status),
    fromRead: Number(row.from_read) === 1,
    toRead: Number(row.to_read) === 1,
    updatedAt: Number(row.updated_at),
  };
}
