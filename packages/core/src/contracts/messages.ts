/**
 * Message data as it crosses service boundaries: the protobuf Message shape with camelCase names,
 * 64-bit ids as decimal strings, binary content as base64. JSON-serialisable by construction.
 */
export const ConversationType = { PRIVATE: 0, GROUP: 1 } as const;
export const PersistFlag = { NOT_PERSIST: 0, PERSIST: 1, PERSIST_AND_COUNT: 3, TRANSPARENT: 4 } as const;
export const ContentType = {
  TEXT: 1,
  RECALL: 80,
  TIP: 90,
  TYPING: 91,
  GROUP_CREATE: 104,
  GROUP_ADD: 105,
  GROUP_KICK: 106,
  GROUP_QUIT: 107,
  GROUP_DISMISS: 108,
  GROUP_TRANSFER: 109,
  GROUP_RENAME: 110,
  GROUP_MEMBER_ALIAS: 111,
  GROUP_PORTRAIT: 112,
  GROUP_MUTE: 113,
  GROUP_MANAGERS: 117,
} as const;

export interface ConversationDto {
  type: number;
  target: string;
  line: number;
}

export interface MessageContentDto {
  type: number;
  searchableContent?: string;
  pushContent?: string;
  content?: string;
  /** base64 */
  data?: string;
  mediaType?: number;
  remoteMediaUrl?: string;
  persistFlag?: number;
  expireDuration?: number;
  mentionedType?: number;
  mentionedTarget?: string[];
}

export interface MessageDto {
  conversation: ConversationDto;
  fromUser: string;
  content: MessageContentDto;
  messageId: string;
  serverTimestamp: number;
  to?: string[];
}

export interface SendRequest {
  uid: string;
  /** the sending device; '' for messages from the open API */
  clientId: string;
  conversation: ConversationDto;
  content: MessageContentDto;
  to?: string[];
}

export interface SendResult {
  messageId: string;
  timestamp: number;
  /**
   * Sends from a device: the seq of the message in the sender's own inbox, which that device's pulls skip
   * (its connector learns the seq was taken without asking push-group). Absent for API sends.
   */
  seq?: string;
}

export interface PullRequest {
  uid: string;
  clientId: string;
  /** inbox sequence already held; messages with seq > after are returned */
  after: string;
}

/** A message's share of a pull result's byte limit (message.pull.max.bytes), estimated from its content. */
export function pullBytes(message: MessageDto): number {
  const c = message.content;
  return (c.data?.length ?? 0) + (c.content?.length ?? 0) + (c.searchableContent?.length ?? 0) + 200;
}

export interface PullResult {
  messages: MessageDto[];
  /** the last seq this result covers (the next pull's `after`) */
  current: string;
  /** the user's newest seq */
  head: string;
}

export interface HistoryRequest {
  uid: string;
  conversation: ConversationDto;
  /** message id to page before; '0' = newest */
  beforeId: string;
  count: number;
}

export interface RecallRequest {
  uid: string;
  clientId: string;
  messageId: string;
}

export interface MessageService {
  send(req: SendRequest): Promise<SendResult>;
  pull(req: PullRequest): Promise<PullResult>;
  /** newest first */
  history(req: HistoryRequest): Promise<MessageDto[]>;
  recall(req: RecallRequest): Promise<void>;
}
