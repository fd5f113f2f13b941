import type { Kysely } from 'kysely';
import type { Schema } from '../store/index.ts';
import { PreparedQuery } from './prepared-query.ts';
import { TickBatcher } from './tick-batcher.ts';
import type { LookupOptions } from './users-repo.ts';

export const FriendState = { FRIEND: 0, DELETED: 1 } as const;

export interface FriendRow {
  /** the other user */
  uid: string;
  state: number;
  alias: string;
  updatedAt: number;
}

export interface BlacklistRow {
  target: string;
  blacklisted: boolean;
  updatedAt: number;
}

/**
 * A user's relations to other users: friendship (both directions are rows of their own, so each side keeps
 * its alias) and the user's blacklist. `version` arguments become `updated_at`, the friend list head.
 * Construct it on a transaction to combine its writes with others.
 */
export class FriendsRepo {
  private readonly db: Kysely<Schema>;
  /** on every private send */
  private readonly blacklistedQuery;
  /** blacklist checks of concurrent sends, one query per loop turn (MySQL) */
  private readonly batched: TickBatcher<readonly [string, string], boolean> | undefined;

  constructor(db: Kysely<Schema>, options: LookupOptions = {}) {
    this.db = db;
    this.blacklistedQuery = new PreparedQuery(db, (owner: string, other: string) => db.selectFrom('blacklist').select('blacklisted').where('uid', '=', owner).where('target', '=', other));
    if (options.batchLookups) this.batched = new TickBatcher((pairs) => this.blacklistedMany(pairs), pairKey);
  }

  /** Whether `owner` has put `other` on its blacklist. */
  async isBlacklisted(owner: string, other: string): Promise<boolean> {
    if (this.batched) return (await this.batched.load([owner, other])) === true;
    const row = await this.blacklistedQuery.first(owner, other);
    return row !== undefined && Number(row.blacklisted) === 1;
  }

  private async blacklistedMany(pairs: (readonly [string, string])[]): Promise<Map<string, boolean>> {
    if (pairs.length === 1) {
      const [owner, other] = pairs[0]!;
      const row = await this.blacklistedQuery.first(owner, other);
      return new Map([[pairKey(pairs[0]!), row !== undefined && Number(row.blacklisted) === 1]]);
    }
    const rows = await this.db
      .selectFrom('blacklist')
      .select(['uid', 'target', 'blacklisted'])
      .where((eb) => eb(eb.refTuple('uid', 'target'), 'in', pairs.map(([owner, other]) => eb.tuple(owner, other))))
      .execute();
    return new Map(rows.map((r) => [pairKey([r.uid, r.target]), Number(r.blacklisted) === 1]));
  }

  async isFriend(uid: string, other: string): Promise<boolean> {
    const row = await this.friendRow(uid, other);
    return row !== undefined && Number(row.state) === FriendState.FRIEND;
  }

  async relationsOf(uid: string): Promise<{ friends: FriendRow[]; blacklist: BlacklistRow[] }> {
    const friends = await this.db.selectFrom('friends').select(['friend_uid', 'state', 'alias', 'updated_at']).where('uid', '=', uid).execute();
    const blacklist = await this.db.selectFrom('blacklist').select(['target', 'blacklisted', 'updated_at']).where('uid', '=', uid).execute();
    return {
      friends: friends.map((r) => ({ uid: r.friend_uid, state: Number(r.state), alias: r.alias, updatedAt: Number(r.updated_at) })),
      blacklist: blacklist.map((r) => ({ target: r.target, blacklisted: Number(r.blacklisted) === 1, updatedAt: Number(r.updated_at) })),
    };
  }

  /** Makes a and b friends of each other; an alias set before a deletion is kept. */
  async link(a: string, b: string, version: number): Promise<void> {
    for (const [owner, other] of [[a, b], [b, a]] as const) {
      if (await this.friendRow(owner, other)) {
        await this.db.updateTable('friends').set({ state: FriendState.FRIEND, updated_at: version }).where('uid', '=', owner).where('friend_uid', '=', other).execute();
      } else {
        await this.db.insertInto('friends').values({ uid: owner, friend_uid: other, state: FriendState.FRIEND, alias: '', updated_at: version }).execute();
      }
    }
  }

  async unlink(a: string, b: string, version: number): Promise<void> {
    await this.db
      .updateTable('friends')
      .set({ state: FriendState.DELETED, updated_at: version })
      .where((eb) => eb.or([eb.and([eb('uid', '=', a), eb('friend_uid', '=', b)]), eb.and([eb('uid', '=', b), eb('friend_uid', '=', a)])]))
      .execute();
  }

  async setAlias(uid: string, other: string, alias: string, version: number): Promise<void> {
    await this.db.updateTable('friends').set({ alias, updated_at: version }).where('uid', '=', uid).where('friend_uid', '=', other).execute();
  }

  /** Returns false when nothing changed (removing someone who was never on the list). */
  async setBlacklisted(uid: string, target: string, blacklisted: boolean, version: number): Promise<boolean> {
    const flag = blacklisted ? 1 : 0;
    const existing = await this.db.selectFrom('blacklist').select('blacklisted').where('uid', '=', uid).where('target', '=', target).executeTakeFirst();
    if (!existing) {
      if (!blacklisted) return false;
      await this.db.insertInto('blacklist').values({ uid, target, blacklisted: flag, updated_at: version }).execute();
      return true;
    }
    await this.db.updateTable('blacklist').set({ blacklisted: flag, updated_at: version }).where('uid', '=', uid).where('target', '=', target).execute();
    return true;
  }

  /** The friend list head: the newest change to uid's friends or blacklist (0 if none). */
  async head(uid: string): Promise<number> {
    const friends = await this.db.selectFrom('friends').select((eb) => eb.fn.max('updated_at').as('h')).where('uid', '=', uid).executeTakeFirst();
    const blacklist = await this.db.selectFrom('blacklist').select((eb) => eb.fn.max('updated_at').as('h')).where('uid', '=', uid).executeTakeFirst();
    return Math.max(Number(friends?.h ?? 0), Number(blacklist?.h ?? 0));
  }

  private friendRow(uid: string, other: string) {
    return this.db.selectFrom('friends').select(['state']).where('uid', '=', uid).where('friend_uid', '=', other).executeTakeFirst();
  }
}

function pairKey([owner, other]: readonly [string, string]): string {
  return `${owner}\u0000${other}`;
}
