import type { FriendDto } from '@fscpush/core';
import { FriendState, type BlacklistRow, type FriendRow } from '../repos/friends-repo.ts';

/** One entry per other user that is a friend, was one, or is on the blacklist; oldest change first. */
export function mergeRelations(rows: { friends: FriendRow[]; blacklist: BlacklistRow[] }): FriendDto[] {
  const byUid = new Map<string, FriendDto>();
  for (const f of rows.friends) {
    byUid.set(f.uid, { uid: f.uid, alias: f.alias, state: f.state === FriendState.FRIEND ? FriendState.FRIEND : FriendState.DELETED, blacklisted: false, updatedAt: f.updatedAt });
  }
  for (const b of rows.blacklist) {
    const entry = byUid.get(b.target);
    if (entry) {
      entry.blacklisted = b.blacklisted;
      entry.updatedAt = Math.max(entry.updatedAt, b.updatedAt);
    } else {
      byUid.set(b.target, { uid: b.target, alias: '', state: FriendState.DELETED, blacklisted: b.blacklisted, updatedAt: b.updatedAt });
    }
  }
  return [...byUid.values()].sort((a, b) => a.updatedAt - b.updatedAt);
}
