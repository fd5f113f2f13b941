import {
  ContentType,
  ConversationType,
  FscError,
  GroupMemberType,
  PersistFlag,
  UserStatus,
  PullBatch,
  type HistoryRequest,
  type Logger,
  type MessageContentDto,
  type MessageDto,
  type MessageIdGenerator,
  type MessageService,
  type PullRequest,
  type PullResult,
  type RecallRequest,
  type SendRequest,
  type SendResult,
} from '@fscpush/core';
import type { FriendsRepo } from '../repos/friends-repo.ts';
import type { GroupsRepo } from '../repos/groups-repo.ts';
import type { InboxEntry, MessagesRepo } from '../repos/messages-repo.ts';
import { conversationKey } from '../repos/rows.ts';
import type { UsersRepo } from '../repos/users-repo.ts';
import type { DeliveryPublisher } from './delivery-publisher.ts';
import type { MessageWriter, StoredMessage } from './message-writer.ts';
import { validateContent, validateConversation, parseSeq } from './validation.ts';

/** Inbox rows a pull reads from the store at a time, until its result is full. */
const PULL_PAGE_ROWS = 256;

/** How far a pull read: its cursor, and the inbox head when the read learnt it. */
interface PullRead {
  current: bigint;
  head?: bigint;
}

/** Content types that are signalling, not history: pushed to online devices only, never stored. */
const TRANSPARENT_TYPES = new Set([ContentType.TYPING, 400, 401, 402, 403, 404, 405]);

export interface MessageLimits {
  pullMaxCount: number;
  pullMaxBytes: number;
  maxContentBytes: number;
}

export interface MessageServiceDeps {
  users: UsersRepo;
  groups: GroupsRepo;
  friends: FriendsRepo;
  messages: MessagesRepo;
  writer: MessageWriter;
  publisher: DeliveryPublisher;
  ids: MessageIdGenerator;
  limits: MessageLimits;
  log: Logger;
  /** told what each pull returned, to record delivery receipts */
  onPulled?: (uid: string, messages: MessageDto[]) => Promise<void>;
}

export function isTransparent(content: MessageContentDto): boolean {
  return content.persistFlag === PersistFlag.TRANSPARENT || TRANSPARENT_TYPES.has(content.type as never);
}

/** Content types only push-group composes: recall (80), tip (90), group notices (104–117). */
const SERVER_CONTENT_TYPES = new Set([ContentType.RECALL, ContentType.TIP, ...Array.from({ length: 14 }, (_, i) => 104 + i)]);

export class MessageServiceImpl implements MessageService {
  private readonly d: MessageServiceDeps;

  constructor(deps: MessageServiceDeps) {
    this.d = deps;
  }

  send(req: SendRequest): Promise<SendResult> {
    // Recall notices, tips and group notices are the server's own: a device cannot forge them.
    if (req.clientId !== '' && SERVER_CONTENT_TYPES.has(Number(req.content?.type))) {
      return Promise.reject(new FscError('INVALID_DATA', 'this content type is reserved for the server'));
    }
    return this.post(req, false);
  }

  /** A group notice composed by push-group's GroupService: neither the group's mute nor the sender's applies. */
  sendNotice(req: SendRequest): Promise<SendResult> {
    return this.post(req, true);
  }

  private async post(req: SendRequest, notice: boolean): Promise<SendResult> {
    const conversation = validateConversation(req.conversation);
    const content = validateContent(req.content, this.d.limits.maxContentBytes);
    const sender = await this.d.users.byUid(req.uid);
    if (!sender) throw new FscError('NOT_EXIST', 'sender does not exist');
    if ((sender.status === UserStatus.MUTED && !notice) || sender.status === UserStatus.BLOCKED) throw new FscError('FORBIDDEN_SEND');
    const transparent = isTransparent(content);
    const { receivers, lazyGroup } = await this.receiversOf(req.uid, conversation, req.to, notice, transparent);

    const mid = this.d.ids.nextString();
    const timestamp = Date.now();
    const except = { u: req.uid, c: req.clientId };
    const message: MessageDto = { conversation, fromUser: req.uid, content, messageId: mid, serverTimestamp: timestamp };
    if (req.to && req.to.length > 0) message.to = req.to;

    if (transparent) {
      receivers.delete(req.uid);
      await this.d.publisher.pushTransparent(receivers, message, except);
      return { messageId: mid, timestamp };
    }

    const stored: StoredMessage = {
      mid,
      fromUid: req.uid,
      fromClient: req.clientId,
      convType: conversation.type,
      convTarget: conversation.target,
      convLine: conversation.line,
      convKey: conversationKey(conversation.type, req.uid, conversation.target),
      contentType: content.type,
      searchable: content.searchableContent ?? '',
      contentJson: JSON.stringify(content),
      toUsers: message.to?.join(',') ?? '',
      createdAt: timestamp,
    };
    const cached = { fromClient: req.clientId, message };
    let seqs: Map<string, string>;
    if (lazyGroup) {
      const written = await this.d.writer.post(stored, { gid: conversation.target, members: lazyGroup, targets: message.to ? receivers : undefined }, cached);
      seqs = written.seqs;
      this.notify(seqs, except, message);
      if (written.behind.length > 0) void this.catchUpAndNotify(written.behind, except);
    } else {
      seqs = await this.d.writer.write(stored, [...receivers], cached);
      this.notify(seqs, except, message);
    }
    const ownSeq = req.clientId !== '' ? seqs.get(req.uid) : undefined;
    return ownSeq === undefined ? { messageId: mid, timestamp } : { messageId: mid, timestamp, seq: ownSeq };
  }

  private notify(seqs: Map<string, string>, except: { u: string; c: string }, message?: MessageDto): void {
    this.d.publisher.notifyNew(seqs, except, message).catch((err: unknown) => this.d.log.warn({ err }, 'notify failed'));
  }

  /** Online members far behind a lazy group: their inboxes catch up now, then their devices hear of it. */
  private async catchUpAndNotify(uids: string[], except: { u: string; c: string }): Promise<void> {
    const heads = new Map<string, string>();
    for (const uid of uids) {
      try {
        await this.d.writer.catchUp(uid);
        heads.set(uid, (await this.d.writer.head(uid)).toString());
      } catch (err) {
        this.d.log.warn({ err, uid }, 'lazy group catch-up failed; it is retried when the user connects');
      }
    }
    this.notify(heads, except);
  }

  /**
   * Inbox entries after `req.after`, oldest first, up to about message.pull.max.bytes of messages (at most
   * message.pull.max.count entries). Read from the store in pages, so a large limit costs only what fits.
   */
  async pull(req: PullRequest): Promise<PullResult> {
    const after = parseSeq(req.after);
    const batch = new PullBatch({ maxCount: this.d.limits.pullMaxCount, maxBytes: this.d.limits.pullMaxBytes });
    const take = (entry: InboxEntry): boolean => batch.offer(isOwnCopy(entry, req) ? null : entry.message);
    const read = (await this.pullFromRecent(req.uid, after, take)) ?? (await this.pullFromStore(req.uid, after, batch, take));
    const head = read.head ?? (await this.d.writer.head(req.uid));
    const messages = batch.messages;
    if (messages.length > 0 && this.d.onPulled) {
      this.d.onPulled(req.uid, messages).catch((err: unknown) => this.d.log.warn({ err }, 'delivery receipts not recorded'));
    }
    return { messages, current: read.current.toString(), head: head.toString() };
  }

  /** From the writer's recent entries, when they hold the whole range the pull asks for; else undefined. */
  private async pullFromRecent(uid: string, after: bigint, take: (entry: InboxEntry) => boolean): Promise<PullRead | undefined> {
    const recent = this.d.writer.recent;
    if (!recent) return undefined;
    const head = await this.d.writer.head(uid);
    const cached = recent.range(uid, after, head, this.d.limits.pullMaxCount);
    if (!cached) return undefined;
    let current = after;
    for (const entry of cached) {
      if (!take(entry)) break;
      current = BigInt(entry.seq);
    }
    return { current, head };
  }

  /** From the store, a page of rows at a time until the result is full or the inbox ends. */
  private async pullFromStore(uid: string, after: bigint, batch: PullBatch, take: (entry: InboxEntry) => boolean): Promise<PullRead> {
    let current = after;
    while (batch.room > 0) {
      const asked = Math.min(PULL_PAGE_ROWS, batch.room);
      const page = await this.d.messages.inboxAfter(uid, current, asked);
      for (const entry of page) {
        if (!take(entry)) return { current };
        current = BigInt(entry.seq);
      }
      // the end of the inbox when read: its last entry was the head (a later commit brings its own MN)
      if (page.length < asked) return current > after ? { current, head: current } : { current };
    }
    return { current };
  }

  async history(req: HistoryRequest): Promise<MessageDto[]> {
    const conversation = validateConversation(req.conversation);
    if (conversation.type === ConversationType.GROUP) {
      const members = await this.d.groups.activeMembers(conversation.target);
      if (!members.has(req.uid)) throw new FscError('NOT_IN_GROUP');
    }
    const count = Math.min(Math.max(1, Math.trunc(Number(req.count) || 20)), 100);
    const before = parseSeq(req.beforeId);
    return this.d.messages.history(conversationKey(conversation.type, req.uid, conversation.target), before, count);
  }

  async recall(req: RecallRequest): Promise<void> {
    parseSeq(req.messageId);
    const message = await this.d.messages.byId(req.messageId);
    if (!message) throw new FscError('NOT_EXIST', 'message does not exist');
    const receivers = new Set<string>([message.fromUser]);
    if (message.conversation.type === ConversationType.GROUP) {
      const members = await this.d.groups.activeMembers(message.conversation.target);
      const role = members.get(req.uid);
      const privileged = role === GroupMemberType.OWNER || role === GroupMemberType.MANAGER;
      if (message.fromUser !== req.uid && !privileged) throw new FscError('NO_RIGHT');
      for (const uid of members.keys()) receivers.add(uid);
    } else {
      if (message.fromUser !== req.uid) throw new FscError('NO_RIGHT');
      receivers.add(message.conversation.target);
    }
    if (message.content.type !== ContentType.RECALL) {
      const recalled = { type: ContentType.RECALL, content: req.uid, data: Buffer.from(req.messageId).toString('base64') };
      await this.d.messages.replaceContent(req.messageId, recalled);
      this.d.writer.recent?.replaceContent(req.messageId, recalled);
    }
    await this.d.publisher.notifyRecall(receivers, req.messageId, message.fromUser, { u: req.uid, c: req.clientId });
  }

  /**
   * `lazyGroup`: the active members of a lazy group, whose inboxes the writer fills for those online; its
   * `receivers` are listed only when the message is transparent or targeted (the writer needs no list).
   */
  private async receiversOf(
    uid: string,
    conversation: { type: number; target: string },
    to: string[] | undefined,
    notice: boolean,
    transparent: boolean,
  ): Promise<{ receivers: Set<string>; lazyGroup?: ReadonlyMap<string, number> }> {
    if (conversation.type === ConversationType.PRIVATE) {
      if (conversation.target !== uid) {
        const exists = await this.d.users.existing([conversation.target]);
        if (!exists.has(conversation.target)) throw new FscError('NOT_EXIST', 'receiver does not exist');
        if (await this.d.friends.isBlacklisted(conversation.target, uid)) throw new FscError('BLACKLISTED');
      }
      return { receivers: new Set([uid, conversation.target]) };
    }
    const group = await this.d.groups.record(conversation.target);
    if (!group || group.dismissed) throw new FscError('NOT_EXIST', 'group does not exist');
    const members = await this.d.groups.activeMembers(conversation.target);
    const role = members.get(uid);
    if (role === undefined) throw new FscError('NOT_IN_GROUP');
    if (group.mute && role === GroupMemberType.MEMBER && !notice) throw new FscError('FORBIDDEN_SEND', 'the group is muted');
    const lazyGroup = group.lazy ? members : undefined;
    if (to && to.length > 0) return { receivers: new Set([uid, ...to.filter((m) => members.has(m))]), lazyGroup };
    if (lazyGroup && !transparent) return { receivers: new Set(), lazyGroup };
    return { receivers: new Set(members.keys()), lazyGroup };
  }
}

/** The pulling device's own copy of a message it sent: the device has it, so pulls skip it. */
function isOwnCopy(entry: InboxEntry, req: PullRequest): boolean {
  return entry.fromClient !== '' && entry.fromClient === req.clientId && entry.message.fromUser === req.uid;
}
