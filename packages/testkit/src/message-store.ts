import type { WebMessage } from '@fscpush/protocol';

const RECALLED = 80;

/** One message as a client app shows it. */
export interface StoredMessage {
  messageId: string;
  from: string;
  conversationType: number;
  /** The group, or the peer of a private chat. */
  target: string;
  type: number;
  /** searchableContent, or content for tips and notices. */
  text: string;
  binaryContent: string;
  /** The app's own copy of something its user typed (never one the server sent). */
  local: boolean;
}

/**
 * How an app merges a message it pulls that it already shows. `by-uid`: the Android app keeps messages by
 * server uid, its own sends included (the send ack gave it the uid). `by-local-id`: vue-chat matches by
 * messageId with ===, and its copy of what it sent keeps the local Date.now() id, so its own message
 * pulled back is shown a second time.
 */
export type StoreDedup = 'by-uid' | 'by-local-id';

/**
 * The messages one device shows, in the order it got them. Counts what came again: `repeats` are pulled
 * messages it had pulled before (merged), `echoes` pulled copies of its own sends.
 */
export class MessageStore {
  readonly dedup: StoreDedup;
  readonly repeats: string[] = [];
  readonly echoes: string[] = [];
  /** Recalls this device learned of (RMN, or its own MR), by message id. */
  readonly recalls = new Set<string>();
  readonly #shown: StoredMessage[] = [];
  readonly #byId = new Map<string, StoredMessage>();

  constructor(dedup: StoreDedup) {
    this.dedup = dedup;
  }

  /** In the order shown; with `by-local-id`, an echo of an own send is shown twice. */
  get shown(): readonly StoredMessage[] {
    return this.#shown;
  }

  get(messageId: string): StoredMessage | undefined {
    return this.#byId.get(messageId);
  }

  has(messageId: string): boolean {
    return this.#byId.has(messageId);
  }

  keepLocal(message: Omit<StoredMessage, 'local'>): void {
    const stored = { ...message, local: true };
    this.#byId.set(message.messageId, stored);
    this.#shown.push(stored);
  }

  /**
   * Messages a pull brought, in the order of the pull's answer. A message shown already is merged (both
   * apps match a pulled message by its uid), except a web echo. Returns how many came again.
   */
  receive(messages: readonly WebMessage[]): number {
    const repeatsBefore = this.repeats.length;
    for (const m of messages) {
      const known = this.#byId.get(m.messageId);
      const incoming = fromWeb(m, this.recalls.has(m.messageId));
      if (known === undefined) {
        this.#byId.set(m.messageId, incoming);
        this.#shown.push(incoming);
      } else if (known.local) {
        this.echoes.push(m.messageId);
        if (this.dedup === 'by-local-id') this.#shown.push(incoming);
        else if (incoming.type === RECALLED) this.#markRecalled(m.messageId);
      } else {
        this.repeats.push(m.messageId);
      }
    }
    return this.repeats.length - repeatsBefore;
  }

  /** The message becomes a recall notice (type 80), as both apps show it; remembered if not here yet. */
  recall(messageId: string): void {
    this.recalls.add(messageId);
    this.#markRecalled(messageId);
  }

  #markRecalled(messageId: string): void {
    for (const [i, m] of this.#shown.entries()) {
      if (m.messageId === messageId) this.#shown[i] = { ...m, type: RECALLED };
    }
    const known = this.#byId.get(messageId);
    if (known !== undefined) this.#byId.set(messageId, { ...known, type: RECALLED });
  }
}

function fromWeb(m: WebMessage, recalled: boolean): StoredMessage {
  return {
    messageId: m.messageId,
    from: m.from,
    conversationType: m.conversationType,
    target: m.target,
    type: recalled ? RECALLED : m.content.type,
    text: m.content.searchableContent !== '' ? m.content.searchableContent : m.content.content,
    binaryContent: m.content.binaryContent,
    local: false,
  };
}
