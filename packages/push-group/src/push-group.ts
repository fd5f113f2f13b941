import type { Server } from 'node:http';
import { UserTokenCodec } from '@fscpush/protocol';
import {
  MessageIdGenerator,
  SERVICE_NAMES,
  SYSTEM_USER_ID,
  boundPort,
  closeHttp,
  listenHttp,
  type ConfigValues,
  type Logger,
  type TlsMaterial,
} from '@fscpush/core';
import type { MessageBus, ServiceRegistry, SharedGrid } from '@fscpush/ports';
import type { GroupStore } from './store/index.ts';
import { GroupServiceImpl } from './groups/group-service.ts';
import { installSecret } from './install-secrets.ts';
import { createLoginApp } from './login/http-routes.ts';
import { LoginService } from './login/login-service.ts';
import { AbuseLimits } from './login/abuse-limits.ts';
import { smsProviderFrom } from './login/sms-config.ts';
import { VerificationCodes } from './login/verification-codes.ts';
import { DeliveryPublisher } from './messages/delivery-publisher.ts';
import { MessageServiceImpl } from './messages/message-service.ts';
import { MessageWriter } from './messages/message-writer.ts';
import { InboxHeads } from './messages/inbox-heads.ts';
import { GroupTimeline } from './repos/group-timeline.ts';
import { RecentInbox } from './messages/recent-inbox.ts';
import { FriendServiceImpl } from './friends/friend-service.ts';
import { FriendsRepo } from './repos/friends-repo.ts';
import { GroupsRepo } from './repos/groups-repo.ts';
import { GroupMemberCache } from './repos/group-member-cache.ts';
import { MessagesRepo } from './repos/messages-repo.ts';
import { SessionsRepo } from './repos/sessions-repo.ts';
import { UsersRepo } from './repos/users-repo.ts';
import { OnlineSessions } from './sessions/online-sessions.ts';
import { SessionServiceImpl } from './sessions/session-service.ts';
import { UserServiceImpl } from './users/user-service.ts';
import { PositionsRepo } from './repos/positions-repo.ts';
import { ReceiptServiceImpl } from './receipts/receipt-service.ts';
import { SearchServiceImpl } from './search/search-service.ts';

export interface PushGroupDeps {
  config: ConfigValues;
  nodeId: number;
  registry: ServiceRegistry;
  bus: MessageBus;
  grid: SharedGrid;
  store: GroupStore;
  log: Logger;
  tls?: TlsMaterial;
}

export interface PushGroup {
  readonly httpPort: number;
  /** stop HTTP, finish queued writes */
  close(): Promise<void>;
}

/** push-group: login over HTTP, and the session, message, group and user services over the registry. */
export async function startPushGroup(deps: PushGroupDeps): Promise<PushGroup> {
  const { config, store, log } = deps;
  const sms = await smsProviderFrom(config, log);
  // lookups on a database server are round trips: concurrent sends share them
  const lookups = { batchLookups: !store.dialect.embedded };
  const users = new UsersRepo(store.db, lookups, store.reads);
  const sessions = new SessionsRepo(store.db, store.dialect);
  const messagesRepo = new MessagesRepo(store.db);
  const timeline = new GroupTimeline(store.db, store.dialect);
  const groups = new GroupsRepo(store.db, new GroupMemberCache(deps.grid), timeline, store.reads);
  const friends = new FriendsRepo(store.db, lookups);
  const conflicts = await store.db.selectFrom('mobile_conflicts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  if (Number(conflicts?.n ?? 0) > 0) {
    log.warn({ accounts: Number(conflicts?.n) }, 'accounts kept their old mobile because another account has its normal form: see table mobile_conflicts');
  }
  if (!(await users.byUid(SYSTEM_USER_ID))) {
    await users.create({ uid: SYSTEM_USER_ID, name: SYSTEM_USER_ID, displayName: 'System' }).catch(() => undefined);
  }
  const tokens = new UserTokenCodec(await installSecret(store.db, 'user-token-key', 32));
  const online = new OnlineSessions(deps.grid);
  const stopWatchingConnectors = deps.registry.watchProviders(SERVICE_NAMES.connector, (nodes) => online.setLiveConnectors(nodes));
  const publisher = new DeliveryPublisher(deps.bus, online, log);
  // one writer (embedded SQLite): pulls after a notify are answered from the entries just committed
  const recent = store.dialect.embedded ? new RecentInbox({ perUser: 256, total: 200_000 }) : undefined;
  const writer = new MessageWriter({
    db: store.db,
    dialect: store.dialect,
    heads: new InboxHeads(store.db, store.dialect, { cacheCommitted: store.dialect.embedded }),
    timeline,
    online: async (uids) => new Set((await online.ofMany(uids)).keys()),
    waitForSenders: !store.dialect.embedded,
    log,
    ...(recent && { recent }),
  });

  const receipts = new ReceiptServiceImpl({ positions: new PositionsRepo(store.db, store.dialect), messages: messagesRepo, groups, publisher });
  const messages = new MessageServiceImpl({
    users,
    groups,
    friends,
    messages: messagesRepo,
    writer,
    publisher,
    ids: new MessageIdGenerator(deps.nodeId),
    limits: {
      pullMaxCount: config['message.pull.max.count'],
      pullMaxBytes: config['message.pull.max.bytes'],
      maxContentBytes: config['message.max.content.bytes'],
    },
    log,
    onPulled: (uid, pulled) => receipts.markDelivered(uid, pulled),
  });
  const friendService = new FriendServiceImpl({ db: store.db, reads: store.reads, users, messages, publisher, log });
  const sessionService = new SessionServiceImpl({
    friendHeads: friendService,
    users,
    sessions,
    online,
    writer,
    publisher,
    tokens,
    tokenTtlMs: config['login.token.ttl.hours'] * 3600_000,
    log,
  });
  await deps.registry.provide(SERVICE_NAMES.sessions, sessionService);
  await deps.registry.provide(SERVICE_NAMES.messages, messages);
  await deps.registry.provide(SERVICE_NAMES.receipts, receipts);
  await deps.registry.provide(SERVICE_NAMES.search, new SearchServiceImpl(messagesRepo));
  await deps.registry.provide(SERVICE_NAMES.groups, new GroupServiceImpl({
    groups,
    users,
    messages,
    maxMembers: config['group.max.members'],
    lazyAbove: config['group.lazy.members'],
    catchUp: (uid) => writer.catchUp(uid),
  }));
  await deps.registry.provide(SERVICE_NAMES.users, new UserServiceImpl(users, online, publisher));
  await deps.registry.provide(SERVICE_NAMES.friends, friendService);

  const login = new LoginService({
    users,
    sessions,
    codes: new VerificationCodes(deps.grid, {
      ttlMs: config['sms.code.ttl.seconds'] * 1000,
      intervalMs: config['sms.code.interval.seconds'] * 1000,
      dailyLimit: config['sms.code.daily.limit'],
      maxAttempts: 5,
      superCode: config['sms.superCode'],
    }),
    limits: new AbuseLimits(deps.grid, {
      codesPerAddressHour: config['sms.code.address.hourly.limit'],
      codesPerMinute: config['sms.code.global.minute.limit'],
      loginFailuresPerAddressHour: config['login.failure.address.hourly.limit'],
    }),
    sms,
    tokens,
    log,
  });
  if (config['sms.superCode'] !== '') log.warn('sms.superCode is set: anyone knowing it can log in as any mobile');
  const server: Server = await listenHttp(createLoginApp(login, log, config['login.trusted.proxies']), config['server.address'], config['server.http.port'], deps.tls);
  const httpPort = boundPort(server);
  log.info({ port: httpPort, tls: deps.tls !== undefined }, 'push-group login HTTP listening');

  return {
    httpPort,
    async close() {
      stopWatchingConnectors();
      await closeHttp(server);
      await writer.close();
    },
  };
}
