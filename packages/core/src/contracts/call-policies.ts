import type { FriendService } from './friends.ts';
import type { GroupService } from './groups.ts';
import { messageRouteKey } from './message-routing.ts';
import type { MessageService } from './messages.ts';
import type { ReceiptService, SearchService } from './receipts.ts';
import type { SessionService } from './sessions.ts';
import type { UserService } from './users.ts';

/** How callers of a service call it: which methods may be retried on another provider, how calls are routed. */
export interface CallPolicy<S> {
  /** methods safe to retry on another provider after a connection failure or timeout */
  idempotent?: readonly (keyof S & string)[];
  balance?: 'random' | 'round-robin' | 'least-active' | 'consistent-hash';
  /** with balance 'consistent-hash': the key a call is routed by (undefined: the caller's default key) */
  routeKey?: (method: string, args: readonly unknown[]) => string | undefined;
}

/**
 * Each service's call policy, declared once beside its contract: every consumer (push-connector, push-api)
 * uses the same one, so a method cannot be retried by one caller and not by another.
 */
export const CALL_POLICIES = {
  sessions: { idempotent: ['disconnect'] } satisfies CallPolicy<SessionService>,
  messages: { idempotent: ['pull', 'history'], balance: 'consistent-hash', routeKey: messageRouteKey } satisfies CallPolicy<MessageService>,
  groups: { idempotent: ['info', 'members'] } satisfies CallPolicy<GroupService>,
  users: { idempotent: ['get', 'getMany'] } satisfies CallPolicy<UserService>,
  receipts: { idempotent: ['delivered', 'markRead', 'counts', 'unread'] } satisfies CallPolicy<ReceiptService>,
  search: { idempotent: ['search'] } satisfies CallPolicy<SearchService>,
  friends: { idempotent: ['list', 'requests'] } satisfies CallPolicy<FriendService>,
} as const;
