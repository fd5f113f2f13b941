import { Proto, Signal, SubSignal, deriveConnectPassword } from '@fscpush/protocol';
import type { AppAccount } from './app-login.ts';
import { AppRequestRefused, runPushLoop, type AppEndpoint, type ClientApp, type PullRecord } from './client-app.ts';
import type { ConversationRef } from './im-client.ts';
import { MessageStore } from './message-store.ts';
import { RequestIdCounter } from './request-tracker.ts';
import { TcpImClient, type TcpAck, type TcpPush } from './tcp-im-client.ts';
import { TestkitError } from './testkit-error.ts';

/** The interval the app announces in its PING (it adapts between 2 and 12 minutes). */
const PING_INTERVAL_MS = 120_000;
const TEXT = 1;
const FRIEND_REQUEST_ACCEPT = 0;

export interface AndroidAppOptions {
  /** The app's request-id counter; start it near 65535 to see it wrap. */
  requestIds?: RequestIdCounter;
  requestTimeoutMs?: number;
}

/**
 * FShareChat's Android app (android-chat on the push SDK) as it behaves on the wire:
 * - CONNECT, then PING at once, before CONNECT_ACK, and again every interval it announced; on CONNECT_ACK,
 *   FP, then one MP from its stored seq;
 * - on each MN one MP from `head - 1`; it never pulls again because a pull's current is below its head;
 * - one request-id counter for every request of every connection, wrapping after 65535; answers matched
 *   by (signal, subSignal), then id;
 * - FHR with status 0 to accept; a local copy of what its user typed, nothing else.
 */
export class AndroidApp implements ClientApp {
  readonly kind = 'android' as const;
  readonly account: AppAccount;
  readonly store = new MessageStore('by-uid');
  readonly requestIds: RequestIdCounter;
  readonly pulls: PullRecord[] = [];
  readonly errors: Error[] = [];
  readonly friendRequestsFrom = new Set<string>();
  friends: string[] = [];
  /** The seq up to which the app holds its inbox (its database's head), kept across connections. */
  storedSeq = '0';
  /** The answer to the PING sent before CONNECT_ACK, per connection. */
  readonly pingsBeforeAck: Promise<string>[] = [];
  readonly #requestTimeoutMs: number;
  #client: TcpImClient | undefined;
  #loop: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(account: AppAccount, options: AndroidAppOptions = {}) {
    this.account = account;
    this.requestIds = options.requestIds ?? new RequestIdCounter();
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  get resumeSeq(): string {
    return this.storedSeq;
  }

  get online(): boolean {
    return this.#client?.isOpen ?? false;
  }

  async connect(endpoint: AppEndpoint): Promise<void> {
    if (this.online) throw new TestkitError('NOT_CONNECTED', 'already connected');
    this.#closing = false;
    const client = new TcpImClient({
      requestIds: this.requestIds,
      matchSubSignal: true,
      requestTimeoutMs: this.#requestTimeoutMs,
      onConnectSent: (c) => {
        const answer = c.ping(PING_INTERVAL_MS);
        answer.catch(() => undefined);
        this.pingsBeforeAck.push(answer);
      },
    });
    this.#client = client;
    const result = await client.connect({
      host: endpoint.host,
      port: endpoint.tcpPort,
      userName: this.account.userId,
      password: deriveConnectPassword(this.account.token),
      clientId: this.account.clientId,
    });
    if (!result.accepted) throw new AppRequestRefused('CONNECT', result.code);
    void client.closed.then((info) => {
      if (!this.#closing) this.errors.push(new Error(`the server closed the connection: ${info.reason}`));
    });
    this.#heartbeat = setInterval(() => {
      if (client.isOpen) client.ping(PING_INTERVAL_MS).catch((err: Error) => this.#failed(err));
    }, PING_INTERVAL_MS).unref();
    this.#loop = runPushLoop(client.pushes, (push) => this.#onPush(push), (err) => this.#failed(err));
    await this.#refreshFriends();
    await this.#pull(BigInt(this.storedSeq), 'connect');
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    await this.#client?.close();
    await this.#loop;
  }

  async sendText(conversation: ConversationRef, text: string): Promise<string> {
    const sent = await this.#connected.sendText(conversation, text);
    if (!sent.ok) throw new AppRequestRefused('MS', `error ${sent.errorCode}`);
    this.store.keepLocal({
      messageId: sent.messageId!,
      from: this.account.userId,
      conversationType: conversation.type,
      target: conversation.target,
      type: TEXT,
      text,
      binaryContent: '',
    });
    return sent.messageId!;
  }

  async recall(messageId: string): Promise<void> {
    await this.#request('MR', Proto.INT64Buf.encode({ id: messageId }));
    this.store.recall(messageId);
  }

  async createGroup(name: string, members: readonly string[]): Promise<string> {
    const me = this.account.userId;
    const ack = await this.#request('GC', Proto.CreateGroupRequest.encode({
      group: { groupInfo: { name, type: 0 }, members: [me, ...members].map((m) => ({ memberId: m, type: m === me ? 2 : 0 })) },
    }));
    return ack.body.toString('utf8');
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    await this.#request('GMI', Proto.ModifyGroupInfoRequest.encode({ groupId, type: 0, value: name }));
  }

  async requestFriend(target: string, reason: string): Promise<void> {
    await this.#request('FAR', Proto.AddFriendRequest.encode({ targetUid: target, reason }));
  }

  async acceptFriend(from: string): Promise<void> {
    await this.#request('FHR', Proto.HandleFriendRequest.encode({ targetUid: from, status: FRIEND_REQUEST_ACCEPT }));
  }

  get #connected(): TcpImClient {
    if (this.#client === undefined || !this.#client.isOpen) throw new TestkitError('NOT_CONNECTED');
    return this.#client;
  }

  async #request(sub: 'MR' | 'GC' | 'GMI' | 'FAR' | 'FHR' | 'FP' | 'FRP', body: Uint8Array): Promise<TcpAck> {
    const ack = await this.#connected.request(sub, body);
    if (ack.errorCode !== 0) throw new AppRequestRefused(sub, `error ${ack.errorCode}`);
    return ack;
  }

  async #pull(after: bigint, trigger: PullRecord['trigger']): Promise<void> {
    const result = await this.#connected.pull(after, 0);
    if (!result.ok) throw new AppRequestRefused('MP', `error ${result.errorCode}`);
    this.pulls.push({ trigger, after: after.toString(), pullType: 0, current: result.current, head: result.head, count: result.messages.length, repeats: this.store.receive(result.messages) });
    if (BigInt(result.current) > BigInt(this.storedSeq)) this.storedSeq = result.current;
  }

  async #refreshFriends(): Promise<void> {
    const ack = await this.#request('FP', Proto.Version.encode({ version: 0 }));
    this.friends = Proto.GetFriendsResult.decode(ack.body).entry.map((f) => f.uid);
  }

  async #onPush(push: TcpPush): Promise<void> {
    if (push.signal !== Signal.PUBLISH) return;
    switch (push.subSignal) {
      case SubSignal.MN:
        await this.#pull(BigInt(Proto.NotifyMessage.decode(push.body).head) - 1n, 'notify');
        return;
      case SubSignal.RMN:
        this.store.recall(Proto.NotifyRecallMessage.decode(push.body).id);
        return;
      case SubSignal.FN:
        await this.#refreshFriends();
        return;
      case SubSignal.FRN: {
        const ack = await this.#request('FRP', Proto.Version.encode({ version: 0 }));
        for (const r of Proto.GetFriendRequestResult.decode(ack.body).entry) {
          if (r.toUid === this.account.userId && r.fromUid !== undefined) this.friendRequestsFrom.add(r.fromUid);
        }
        return;
      }
      default:
    }
  }

  #failed(err: Error): void {
    if (this.#closing && err instanceof TestkitError && (err.code === 'CLOSED' || err.code === 'NOT_CONNECTED')) return;
    this.errors.push(err);
  }
}
