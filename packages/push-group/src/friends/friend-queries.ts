import type { Kysely } from 'kysely';
import type { FriendDto, FriendRequestDto } from '@fscpush/core';
import type { Schema } from '../store/index.ts';
import { FriendRequestsRepo } from '../repos/friend-requests-repo.ts';
import { FriendsRepo } from '../repos/friends-repo.ts';
import { mergeRelations } from './relations.ts';

const MAX_REQUESTS_PER_PULL = 1000;

/**
 * What devices pull of their friends (FP) and friend requests (FRP): committed rows only, on the
 * connection for client reads, with no state of its own (so any thread may answer them).
 */
export class FriendQueries {
  readonly friends: FriendsRepo;
  readonly requests: FriendRequestsRepo;

  constructor(reads: Kysely<Schema>) {
    this.friends = new FriendsRepo(reads);
    this.requests = new FriendRequestsRepo(reads);
  }

  async list(req: { uid: string; since: number }): Promise<FriendDto[]> {
    const since = version(req.since);
    return mergeRelations(await this.friends.relationsOf(req.uid)).filter((f) => f.updatedAt > since);
  }

  async requestsOf(req: { uid: string; since: number }): Promise<FriendRequestDto[]> {
    const rows = await this.requests.involving(req.uid, version(req.since), MAX_REQUESTS_PER_PULL);
    return rows.map((row) => {
      const received = row.target === req.uid;
      return {
        direction: received ? 1 : 0,
        from: row.from,
        target: row.target,
        reason: row.reason,
        status: row.status,
        readStatus: received ? row.toRead : row.fromRead,
        updatedAt: row.updatedAt,
      };
    });
  }
}

/** A version a client sent: a positive safe integer, anything else 0 (from the start). */
export function version(value: unknown): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}
