import type { ConversationDto, MessageDto } from './messages.ts';

export const ReceiptKind = { DELIVERED: 0, READ: 1 } as const;

/** How far one user has received or read one conversation. */
export interface ReceiptCount {
  messageId: string;
  /** users (other than the sender) whose devices have pulled the message */
  delivered: number;
  /** users (other than the sender) who reported reading up to it */
  read: number;
}

/** What a receipt needs of a message a device was handed. */
export type DeliveredMessage = Pick<MessageDto, 'messageId' | 'fromUser' | 'conversation'>;

/** Messages a connector handed to one user's device from the content its notifies carried. */
export interface DeliveredReport {
  uid: string;
  messages: DeliveredMessage[];
}

export interface ConversationUnread {
  conversation: ConversationDto;
  unread: number;
  lastMessageId: string;
}

/**
 * Delivery and read receipts. A pull marks what it returned as delivered (push-group's own pulls at once,
 * a connector's through delivered()); clients report reading (MRN).
 * Private conversations push a receipt to the sender's devices; groups are queried in aggregate (counts),
 * so a large group never produces per-reader payloads.
 */
export interface ReceiptService {
  /** pulls a connector answered itself: what they returned becomes delivered, as for a pull push-group answered */
  delivered(reports: DeliveredReport[]): Promise<void>;
  markRead(req: { uid: string; clientId: string; conversation: ConversationDto; messageId: string }): Promise<void>;
  /** at most 100 ids; only messages of conversations the user belongs to */
  counts(req: { uid: string; conversation: ConversationDto; messageIds: string[] }): Promise<ReceiptCount[]>;
  /** unread messages per conversation among the user's recent inbox */
  unread(uid: string): Promise<ConversationUnread[]>;
}

export interface SearchRequest {
  uid: string;
  keyword: string;
  conversation?: ConversationDto;
  page: number;
}

export interface SearchService {
  /** messages in the user's own inbox whose searchable text contains keyword, newest first, 20 a page */
  search(req: SearchRequest): Promise<MessageDto[]>;
}
