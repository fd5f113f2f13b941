import { Signal, SubSignal, deriveConnectPassword } from '@fscpush/protocol';
import type { AppAccount } from './app-login.ts';
import { AppSession, type AppSessionOptions } from './app-session.ts';
import { AppRequestRefused, type AppEndpoint, type ClientApp, type PullRecord } from './client-app.ts';
import type { ConversationRef } from './im-client.ts';
import { parseJsonContent } from './parse-helpers.ts';
import { WsImClient, type WsPush } from './ws-im-client.ts';

const FRIEND_REQUEST_ACCEPT = 1;
const BYTE_RESULT_OK = 200;
/** vue-chat sends its heartbeat text this often; the server's WebSocket idle timeout is 60 s. */
const HEARTBEAT_MS = 25_000;

/** `requestIds`: localStorage.message_id. */
export type WebAppOptions = AppSessionOptions;

/**
 * FShareChat's web client (vue-chat) as it behaves on the wire:
 * - its heartbeat text every 25 s; on CONNECT_ACK: FP {version:0}, FRP {version}, MP {messageId: last_message_seq, pullType 0,
 *   sendMessageCount}, and only then last_message_seq = the ack's messageHead;
 * - on each MN: last_message_seq = head, the send count reset, MP {messageId: head, pullType 1};
 * - a local copy of what its user typed only (keeping its local id, so its own message pulled back shows
 *   twice); group notices and friend tips it sees only through MN and pull.
 */
export class WebApp extends AppSession<WsImClient, WsPush> implements ClientApp {
  readonly kind = 'web' as const;
  /** localStorage last_message_seq (unset before the first login). */
  lastMessageSeq: string | undefined;
  /** Messages sent since the last MN (the web client's sendMessageCount). */
  sendCount = 0;
  friendRequestVersion: string | null = null;

  constructor(account: AppAccount, options: WebAppOptions = {}) {
    super(account, 'by-local-id', options);
  }

  get resumeSeq(): string {
    return this.lastMessageSeq ?? '0';
  }

  async connect(endpoint: AppEndpoint): Promise<void> {
    this.opening();
    const client = new WsImClient({ requestIds: this.requestIds, requestTimeoutMs: this.requestTimeoutMs });
    this.client = client;
    const result = await client.connect({
      host: endpoint.host,
      port: endpoint.wsPort,
      path: endpoint.wsPath ?? '/ws',
      userName: this.account.userId,
      password: deriveConnectPassword(this.account.token, { webQuirks: true }),
      clientId: this.account.clientId,
    });
    if (!result.accepted) throw new AppRequestRefused('CONNECT', result.code);
    const ack = result.ack as { messageHead?: unknown };
    this.started(client, HEARTBEAT_MS, () => void client.ping());
    const friends = this.#refreshFriends();
    const requests = this.#pullFriendRequests();
    const pull = this.#pull('connect', this.resumeSeq, 0, this.sendCount);
    this.lastMessageSeq = String(ack.messageHead);
    await Promise.all([friends, requests, pull]);
  }

  async sendText(conversation: ConversationRef, text: string): Promise<string> {
    const sent = await this.connected.sendText(conversation, text);
    if (!sent.ok) throw new AppRequestRefused('MS', 'empty answer');
    this.sendCount += 1;
    this.keepTyped(sent.messageId!, conversation, text);
    return sent.messageId!;
  }

  async recall(messageId: string): Promise<void> {
    const result = await this.#json('MR', { messageUid: messageId }) as { code?: unknown };
    if (result.code !== BYTE_RESULT_OK) throw new AppRequestRefused('MR', JSON.stringify(result));
    this.store.recall(messageId);
  }

  async createGroup(name: string, members: readonly string[]): Promise<string> {
    const me = this.account.userId;
    const result = await this.#json('GC', {
      groupInfo: { target: '', name, portrait: '', owner: '', type: 0, memberCount: 0, extra: '', updateDt: 0 },
      groupMembers: [me, ...members].map((m) => ({ groupId: '', memberId: m, alias: '', type: m === me ? 2 : 0, updateDt: 0, diplayName: '', avatarUrl: '' })),
    }) as { result?: unknown };
    if (typeof result.result !== 'string') throw new AppRequestRefused('GC', JSON.stringify(result));
    return result.result;
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    await this.#json('GMI', { groupId, type: 0, value: name });
  }

  async requestFriend(target: string, reason: string): Promise<void> {
    await this.#json('FAR', { reason, targetUserId: target });
  }

  async acceptFriend(from: string): Promise<void> {
    await this.#json('FHR', { targetUid: from, status: FRIEND_REQUEST_ACCEPT });
  }

  /** A request whose answer is JSON text; "" (the web protocol's only failure) throws. */
  async #json(sub: 'MR' | 'GC' | 'GMI' | 'FAR' | 'FHR' | 'FP' | 'FRP', payload: object): Promise<unknown> {
    const answer = await this.connected.requestJson(sub, payload);
    if (!answer.ok) throw new AppRequestRefused(sub, 'empty answer');
    return answer.json;
  }

  async #pull(trigger: PullRecord['trigger'], cursor: string, pullType: number, sendMessageCount: number): Promise<void> {
    const result = await this.connected.pull(cursor, pullType, undefined, sendMessageCount);
    if (!result.ok) throw new AppRequestRefused('MP', 'empty answer');
    this.pulls.push({ trigger, after: cursor, pullType, current: result.current, head: result.head, count: result.messages.length, repeats: this.store.receive(result.messages) });
  }

  async #refreshFriends(): Promise<void> {
    const list = await this.#json('FP', { version: 0 }) as { friendUid: string }[];
    this.friends = list.map((f) => f.friendUid);
  }

  async #pullFriendRequests(): Promise<void> {
    const list = await this.#json('FRP', { version: this.friendRequestVersion }) as { from: string; target: string }[];
    for (const r of list) if (r.target === this.account.userId) this.friendRequestsFrom.add(r.from);
  }

  protected async onPush(push: WsPush): Promise<void> {
    if (push.signal !== Signal.PUBLISH) return;
    switch (push.subSignal) {
      case SubSignal.MN: {
        const notify = parseJsonContent(push.content, 'MN') as { messageHead: string; type: number };
        this.lastMessageSeq = notify.messageHead;
        this.sendCount = 0;
        await this.#pull('notify', notify.messageHead, 1, 0);
        return;
      }
      case SubSignal.RMN:
        this.store.recall((parseJsonContent(push.content, 'RMN') as { messageUid: string }).messageUid);
        return;
      case SubSignal.FN:
        await this.#refreshFriends();
        return;
      case SubSignal.FRN:
        this.friendRequestVersion = (parseJsonContent(push.content, 'FRN') as { version: string }).version;
        await this.#pullFriendRequests();
        return;
      default:
    }
  }
}
