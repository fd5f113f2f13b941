import type { Kysely } from 'kysely';
import { SERVICE_NAMES } from '@fscpush/core';
import type { Schema } from './store/index.ts';
import { FriendQueries } from './friends/friend-queries.ts';
import { UsersRepo } from './repos/users-repo.ts';
import { profilesOf } from './users/user-service.ts';

type Calls = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * The reads a device's app waits on that need nothing but committed rows (FP, FRP, UPUI): push-group
 * answers them the same way from any thread with a connection for reads, so the all-in-one server can
 * answer them beside push-group's writer instead of behind it. `service.method` names.
 */
export const CLIENT_READ_CALLS: readonly string[] = [`${SERVICE_NAMES.friends}.list`, `${SERVICE_NAMES.friends}.requests`, `${SERVICE_NAMES.users}.getMany`];

/** Those calls, by service and method, on a connection for reads. */
export function clientReadServices(reads: Kysely<Schema>): Record<string, Calls> {
  const friends = new FriendQueries(reads);
  const users = new UsersRepo(reads, {}, reads);
  return {
    [SERVICE_NAMES.friends]: {
      list: (req: { uid: string; since: number }) => friends.list(req),
      requests: (req: { uid: string; since: number }) => friends.requestsOf(req),
    },
    [SERVICE_NAMES.users]: { getMany: (uids: string[]) => profilesOf(users, uids) },
  };
}
