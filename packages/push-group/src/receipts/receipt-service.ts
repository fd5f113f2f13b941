import {
  ConversationType,
  FscError,
  ReceiptKind,
  type ConversationDto,
  type ConversationUnread,
  type DeliveredMessage,
  type DeliveredReport,
  type ReceiptCount,
  type ReceiptService,
} from '@fscpush/core';
import type { GroupsRepo } from '../repos/groups-repo.ts';
import type { MessagesRepo } from '../repos/messages-repo.ts';
import type { PositionsRepo, PositionTableName } from '../repos/positions-repo.ts';
import { conversationKey } from '../repos/rows.ts';
import type { DeliveryPublisher } from '../messages/delivery-publisher.ts';
import { isValidId, parseSeq, validateConversation } from '../messages/validation.ts';

const MAX_IDS = 100;
/** Unread counts look at this many of the newest inbox entries: bounded work however old the inbox. */
const UNREAD_WINDOW = 5000;

export interface ReceiptServiceDeps {
  positions: PositionsRepo;
  messages: MessagesRepo;
  groups: GroupsRepo;
  publisher: DeliveryPublisher;
}

export class ReceiptServiceImpl implements ReceiptService {
  private readonly d: ReceiptServiceDeps;

  constructor(deps: ReceiptServiceDeps) {
    this.d = deps;
  }

  /** Called with what a pull returned: each conversation's newest message becomes delivered. */
  async markDelivered(uid: string, messages: DeliveredMessage[]): Promise<void> {
    await this.advance('delivered_positions', ReceiptKind.DELIVERED, uid, messages.filter((m) => m.fromUser !== uid));
  }

  async delivered(reports: DeliveredReport[]): Promise<void> {
    if (!Array.isArray(reports)) throw new FscError('INVALID_DATA', 'reports must be an array');
    const checked = reports.map(deliveredReport);
    await Promise.all(checked.map((report) => this.markDelivered(report.uid, report.messages)));
  }

  async markRead(req: { uid: string; clientId: string; conversation: ConversationDto; messageId: string }): Promise<void> {
    const conversation = validateConversation(req.conversation);
    parseSeq(req.messageId);
    const message = await this.d.messages.byId(req.messageId);
    const convKey = conversationKey(conversation.type, req.uid, conversation.target);
    if (!message || message.convKey !== convKey) throw new FscError('NOT_EXIST', 'no such message in this conversation');
    await this.assertMember(req.uid, conversation);
    await this.advance('read_positions', ReceiptKind.READ, req.uid, [message]);
    await this.advance('delivered_positions', ReceiptKind.DELIVERED, req.uid, [message]);
  }

  async counts(req: { uid: string; conversation: ConversationDto; messageIds: string[] }): Promise<ReceiptCount[]> {
    const conversation = validateConversation(req.conversation);
    if (!Array.isArray(req.messageIds) || req.messageIds.length > MAX_IDS) throw new FscError('INVALID_DATA', `1-${MAX_IDS} message ids`);
    await this.assertMember(req.uid, conversation);
    const convKey = conversationKey(conversation.type, req.uid, conversation.target);
    const result: ReceiptCount[] = [];
    for (const messageId of req.messageIds) {
      parseSeq(messageId);
      const message = await this.d.messages.byId(messageId);
      if (!message || message.convKey !== convKey) continue;
      result.push({
        messageId,
        delivered: await this.d.positions.countAtOrBeyond('delivered_positions', convKey, messageId, message.fromUser),
        read: await this.d.positions.countAtOrBeyond('read_positions', convKey, messageId, message.fromUser),
      });
    }
    return result;
  }

  async unread(uid: string): Promise<ConversationUnread[]> {
    const recent = await this.d.messages.recentInbox(uid, UNREAD_WINDOW);
    const byConv = new Map<string, { conversation: ConversationDto; mids: bigint[]; last: string }>();
    for (const entry of recent) {
      const m = entry.message;
      const convKey = conversationKey(m.conversation.type, m.fromUser, m.conversation.target);
      const view = m.conversation.type === ConversationType.PRIVATE && m.conversation.target === uid ? { ...m.conversation, target: m.fromUser } : m.conversation;
      let slot = byConv.get(convKey);
      if (!slot) {
        slot = { conversation: view, mids: [], last: m.messageId };
        byConv.set(convKey, slot);
      }
      slot.last = m.messageId;
      if (m.fromUser !== uid) slot.mids.push(BigInt(m.messageId));
    }
    const read = await this.d.positions.of('read_positions', uid, [...byConv.keys()]);
    return [...byConv].map(([convKey, slot]) => {
      const upTo = read.get(convKey) ?? 0n;
      return { conversation: slot.conversation, unread: slot.mids.filter((mid) => mid > upTo).length, lastMessageId: slot.last };
    });
  }

  private async advance(table: PositionTableName, kind: number, uid: string, messages: (DeliveredMessage & { convKey?: string })[]): Promise<void> {
    const newest = new Map<string, { mid: bigint; message: DeliveredMessage }>();
    for (const m of messages) {
      const convKey = m.convKey ?? conversationKey(m.conversation.type, m.fromUser, m.conversation.target);
      const mid = BigInt(m.messageId);
      const current = newest.get(convKey);
      if (!current || mid > current.mid) newest.set(convKey, { mid, message: m });
    }
    const advanced = await this.d.positions.advance(table, uid, new Map([...newest].map(([k, v]) => [k, v.mid])));
    for (const [convKey] of advanced) {
      const { message } = newest.get(convKey)!;
      // private conversations tell the sender; groups are queried in aggregate instead
      if (message.conversation.type === ConversationType.PRIVATE && message.fromUser !== uid) {
        await this.d.publisher.pushReceipt(message.fromUser, { kind, reader: uid, messageId: message.messageId });
      }
    }
  }

  private async assertMember(uid: string, conversation: ConversationDto): Promise<void> {
    if (conversation.type === ConversationType.GROUP && !(await this.d.groups.activeMembers(conversation.target)).has(uid)) {
      throw new FscError('NOT_IN_GROUP');
    }
  }
}

/** A report is checked like any input that crosses the network: ids well-formed, conversations valid. */
function deliveredReport(report: DeliveredReport): DeliveredReport {
  if (!report || !isValidId(report.uid) || !Array.isArray(report.messages)) throw new FscError('INVALID_DATA', 'malformed delivery report');
  const messages = report.messages.map((m) => {
    if (!m || !isValidId(m.fromUser)) throw new FscError('INVALID_DATA', 'malformed delivery report');
    parseSeq(m.messageId);
    return { messageId: m.messageId, fromUser: m.fromUser, conversation: validateConversation(m.conversation) };
  });
  return { uid: report.uid, messages };
}
