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

/**
 * A message's share of a pull result's byte limit (message.pull.max.bytes), estimated as the larger of its
 * encodings, the web client's: its strings as they are sent (binary data as base64) plus the ids, field
 * names and escaping around them (~360 bytes for a short text; its protobuf is ~80).
 */
export function pullBytes(message: MessageDto): number {
  const c = message.content;
  let bytes = 360 + (c.data?.length ?? 0) + utf8Length(c.content) + utf8Length(c.searchableContent) + utf8Length(c.pushContent) + (c.remoteMediaUrl?.length ?? 0);
  for (const target of c.mentionedTarget ?? []) bytes += target.length + 3;
  for (const target of message.to ?? []) bytes += target.length + 3;
  return bytes;
}

function utf8Length(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

export interface PullLimits {
  /** a safety bound on the entries one pull looks at */
  maxCount: number;
  /** about this many bytes of messages per pull (FShareChat's ~1 MB); a single larger message goes alone */
  maxBytes: number;
}

/**
 * The messages of one pull result, filled entry by entry in seq order until the next message would pass
 * the byte limit or the entry count reaches its bound. A `null` entry is the pulling device's own copy of
 * a message it sent: it counts as covered (the cursor moves past it) but is not sent back.
 */
export class PullBatch {
  readonly messages: MessageDto[] = [];
  private readonly limits: PullLimits;
  private entries = 0;
  private bytes = 0;
  private closed = false;

  constructor(limits: PullLimits) {
    this.limits = limits;
  }

  /** Takes the entry, or answers false (and takes nothing more) when the result is full. */
  offer(message: MessageDto | null): boolean {
    if (this.closed || this.entries >= this.limits.maxCount) return this.close();
    if (message !== null) {
      const bytes = pullBytes(message);
      if (this.messages.length > 0 && this.bytes + bytes > this.limits.maxBytes) return this.close();
      this.bytes += bytes;
      this.messages.push(message);
    }
    this.entries += 1;
    return true;
  }

  /** How many more entries this result may look at. */
  get room(): number {
    return this.closed ? 0 : this.limits.maxCount - this.entries;
  }

  private close(): false {
    this.closed = true;
    return false;
  }
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
