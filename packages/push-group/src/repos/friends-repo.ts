import type { Kysely } from 'kysely';
import type { Schema } from '@fscpush/infra/store';

export const FriendState = { FRIEND: 0, DELETED: 1, BLACKLISTED: 2 } as const;

export class FriendsRepo {
  private readonly db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  /** Whether `owner` has put `other` on its blacklist. */
  async isBlacklisted(owner: string, other: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('friends')
      .select('state')
      .where('uid', '=', owner)
      .where('friend_uid', '=', other)
      .executeTakeFirst();
    return row !== undefined && Number(row.state) === FriendState.BLACKLISTED;
  }

  async setState(owner: string, other: string, state: number): Promise<void> {
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('friends').where('uid', '=', owner).where('friend_uid', '=', other).execute();
      await trx.insertInto('friends').values({ uid: owner, friend_uid: other, state, alias: '', updated_at: now }).execute();
    });
  }
}
