import type { Kysely } from 'kysely';
import {
  FriendRequestStatus,
  FscError,
  type FriendDto,
  type FriendRequestDto,
  type FriendService,
  type Logger,
  type MessageService,
} from '@fscpush/core';
import type { Schema } from '../store/index.ts';
import type { DeliveryPublisher } from '../messages/delivery-publisher.ts';
import { isValidId } from '../messages/validation.ts';
import { FriendRequestsRepo } from '../repos/friend-requests-repo.ts';
import { FriendsRepo } from '../repos/friends-repo.ts';
import type { UsersRepo } from '../repos/users-repo.ts';
import { greetNewFriends } from './greeting.ts';
import { FriendQueries, version } from './friend-queries.ts';
import { VersionClock } from './version-clock.ts';

const MAX_REASON = 512;
const MAX_ALIAS = 128;

export interface FriendServiceDeps {
  db: Kysely<Schema>;
  /** what clients pull is read here (Store.reads) */
  reads: Kysely<Schema>;
  users: UsersRepo;
  messages: MessageService;
  publisher: DeliveryPublisher;
  log: Logger;
}

/** The repositories bound to one transaction, and the version its changes get. */
interface Change {
  friends: FriendsRepo;
  requests: FriendRequestsRepo;
  version: number;
}

/**
 * Friend requests, friendship, aliases and the blacklist. Every change gets a new version; FRN tells the
 * devices whose request list changed, FN those whose friend list changed, and they pull from their head.
 */
export class FriendServiceImpl implements FriendService {
  private readonly d: FriendServiceDeps;
  /** reads of lists and heads, outside any change */
  private readonly queries: FriendQueries;
  private readonly readMarks: FriendRequestsRepo;
  private readonly clock = new VersionClock();

  constructor(deps: FriendServiceDeps) {
    this.d = deps;
    this.queries = new FriendQueries(deps.reads);
    this.readMarks = new FriendRequestsRepo(deps.db);
  }

  async request(req: { uid: string; target: string; reason: string }): Promise<void> {
    const target = await this.otherUser(req.uid, req.target);
    const reason = text(req.reason, 'reason', MAX_REASON);
    const version = await this.change(async ({ friends, requests, version }) => {
      if (await friends.isFriend(req.uid, target)) throw new FscError('INVALID_DATA', 'already friends');
      if (await friends.isBlacklisted(target, req.uid)) throw new FscError('BLACKLISTED');
      await requests.putSent(req.uid, target, reason, version);
      return version;
    });
    await this.d.publisher.notifyFriendRequests([target], version);
  }

  async handle(req: { uid: string; clientId: string; from: string; status: number }): Promise<void> {
    const accepted = isAcceptance(req.status);
    const status = accepted ? FriendRequestStatus.ACCEPTED : FriendRequestStatus.REJECTED;
    if (!isValidId(req.from)) throw new FscError('INVALID_DATA', 'invalid user id');
    const { version, reason } = await this.change(async ({ friends, requests, version }) => {
      const request = await requests.find(req.from, req.uid);
      if (!request) throw new FscError('NOT_EXIST', 'no friend request from that user');
      if (!(await requests.transition(req.from, req.uid, FriendRequestStatus.SENT, status, version))) {
        throw new FscError('INVALID_DATA', 'the friend request was already handled');
      }
      if (accepted) {
        await requests.transition(req.uid, req.from, FriendRequestStatus.SENT, FriendRequestStatus.ACCEPTED, version);
        await friends.link(req.uid, req.from, version);
      }
      return { version, reason: request.reason };
    });
    if (accepted) {
      await greetNewFriends(this.d.messages, { requester: req.from, accepter: req.uid, reason }, this.d.log);
      await this.d.publisher.notifyFriends([req.uid, req.from], version);
    }
    await this.d.publisher.notifyFriendRequests([req.from, req.uid], version);
  }

  async befriend(req: { uid: string; target: string }): Promise<void> {
    if (!isValidId(req.uid) || (await this.d.users.existing([req.uid])).size === 0) throw new FscError('NOT_EXIST', 'user does not exist');
    const target = await this.otherUser(req.uid, req.target);
    const changed = await this.change(async ({ friends, requests, version }) => {
      if (await friends.isFriend(req.uid, target)) return undefined;
      const forward = await requests.transition(req.uid, target, FriendRequestStatus.SENT, FriendRequestStatus.ACCEPTED, version);
      const backward = await requests.transition(target, req.uid, FriendRequestStatus.SENT, FriendRequestStatus.ACCEPTED, version);
      await friends.link(req.uid, target, version);
      return { version, requestsChanged: forward || backward };
    });
    if (!changed) return;
    await this.d.publisher.notifyFriends([req.uid, target], changed.version);
    if (changed.requestsChanged) await this.d.publisher.notifyFriendRequests([req.uid, target], changed.version);
  }

  list(req: { uid: string; since: number }): Promise<FriendDto[]> {
    return this.queries.list(req);
  }

  requests(req: { uid: string; since: number }): Promise<FriendRequestDto[]> {
    return this.queries.requestsOf(req);
  }

  async unreadRequests(req: { uid: string; readUpTo: number }): Promise<number> {
    const upTo = version(req.readUpTo);
    if (upTo > 0) await this.readMarks.markReadUpTo(req.uid, upTo);
    return this.queries.requests.unreadCount(req.uid);
  }

  async setAlias(req: { uid: string; target: string; alias: string }): Promise<void> {
    if (!isValidId(req.target)) throw new FscError('INVALID_DATA', 'invalid user id');
    const alias = text(req.alias, 'alias', MAX_ALIAS).trim();
    const version = await this.change(async ({ friends, version }) => {
      if (!(await friends.isFriend(req.uid, req.target))) throw new FscError('NOT_EXIST', 'not a friend');
      await friends.setAlias(req.uid, req.target, alias, version);
      return version;
    });
    await this.d.publisher.notifyFriends([req.uid], version);
  }

  async delete(req: { uid: string; target: string }): Promise<void> {
    if (!isValidId(req.target)) throw new FscError('INVALID_DATA', 'invalid user id');
    const version = await this.change(async ({ friends, version }) => {
      if (!(await friends.isFriend(req.uid, req.target))) throw new FscError('NOT_EXIST', 'not a friend');
      await friends.unlink(req.uid, req.target, version);
      return version;
    });
    await this.d.publisher.notifyFriends([req.uid, req.target], version);
  }

  async setBlacklisted(req: { uid: string; target: string; blacklisted: boolean }): Promise<void> {
    if (typeof req.blacklisted !== 'boolean') throw new FscError('INVALID_DATA', 'blacklisted must be true or false');
    const target = await this.otherUser(req.uid, req.target);
    const version = await this.change(async ({ friends, version }) =>
      (await friends.setBlacklisted(req.uid, target, req.blacklisted, version)) ? version : undefined);
    if (version !== undefined) await this.d.publisher.notifyFriends([req.uid], version);
  }

  /** Heads for CONNECT_ACK: the newest version of uid's friend list and of its friend requests. */
  async heads(uid: string): Promise<{ friendHead: number; friendRqHead: number }> {
    return { friendHead: await this.queries.friends.head(uid), friendRqHead: await this.queries.requests.head(uid) };
  }

  /**
   * One transaction per change, its version taken inside it: on the embedded store a transaction holds the
   * only connection, so versions follow commit order and a sync "after v" cannot skip an earlier commit.
   */
  private change<T>(fn: (change: Change) => Promise<T>): Promise<T> {
    return this.d.db.transaction().execute((trx) => fn({ friends: new FriendsRepo(trx), requests: new FriendRequestsRepo(trx), version: this.clock.next() }));
  }

  private async otherUser(uid: string, target: unknown): Promise<string> {
    if (!isValidId(target)) throw new FscError('INVALID_DATA', 'invalid user id');
    if (target === uid) throw new FscError('INVALID_DATA', 'that is yourself');
    if ((await this.d.users.existing([target])).size === 0) throw new FscError('NOT_EXIST', 'user does not exist');
    return target;
  }
}

function text(value: unknown, what: string, max: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || value.length > max) throw new FscError('INVALID_DATA', `${what} must be a string of at most ${max} characters`);
  return value;
}

/**
 * FHR's status: the Android app always sends 0 for "accept" (FShareChat ignores the status there), the web
 * client sends 1; 2 rejects. Anything else is refused.
 */
function isAcceptance(status: unknown): boolean {
  const value = Number(status);
  if (value === FriendRequestStatus.SENT || value === FriendRequestStatus.ACCEPTED) return true;
  if (value === FriendRequestStatus.REJECTED) return false;
  throw new FscError('INVALID_DATA', 'status must be 0 or 1 (accept) or 2 (reject)');
}
