import { Proto, Signal, SubSignal, deriveConnectPassword } from '@fscpush/protocol';
import type { AppAccount } from './app-login.ts';
import { AppSession, type AppSessionOptions } from './app-session.ts';
import { AppRequestRefused, type AppEndpoint, type ClientApp, type PullRecord } from './client-app.ts';
import type { ConversationRef } from './im-client.ts';
import { TcpImClient, type TcpAck, type TcpPush } from './tcp-im-client.ts';

/** The interval the app announces in its PING (it adapts between 2 and 12 minutes). */
const PING_INTERVAL_MS = 120_000;
const FRIEND_REQUEST_ACCEPT = 0;

/** `requestIds`: start it near 65535 to see it wrap. */
export type AndroidAppOptions = AppSessionOptions;

/**
 * FShareChat's Android app (android-chat on the push SDK) as it behaves on the wire:
 * - CONNECT, then PING at once, before CONNECT_ACK, and again every interval it announced; on CONNECT_ACK,
 *   FP, then one MP from its stored seq;
 * - on each MN one MP from `head - 1`; it never pulls again because a pull's current is below its head;
 * - one request-id counter for every request of every connection, wrapping after 65535; answers matched
 *   by (signal, subSignal), then id;
 * - FHR with status 0 to accept; a local copy of what its user typed, nothing else.
 */
export class AndroidApp extends AppSession<TcpImClient, TcpPush> implements ClientApp {
  readonly kind = 'android' as const;
  /** The seq up to which the app holds its inbox (its database's head), kept across connections. */
  storedSeq = '0';
  /** The answer to the PING sent before CONNECT_ACK, per connection. */
  readonly pingsBeforeAck: Promise<string>[] = [];

  constructor(account: AppAccount, options: AndroidAppOptions = {}) {
    super(account, 'by-uid', options);
  }

  get resumeSeq(): string {
    return this.storedSeq;
  }

  async connect(endpoint: AppEndpoint): Promise<void> {
    this.opening();
    const client = new TcpImClient({
      requestIds: this.requestIds,
      matchSubSignal: true,
      requestTimeoutMs: this.requestTimeoutMs,
      onConnectSent: (c) => {
        const answer = c.ping(PING_INTERVAL_MS);
        answer.catch(() => undefined);
        this.pingsBeforeAck.push(answer);
      },
    });
    this.client = client;
    const result = await client.connect({
      host: endpoint.host,
      port: endpoint.tcpPort,
      userName: this.account.userId,
      password: deriveConnectPassword(this.account.token),
      clientId: this.account.clientId,
    });
    if (!result.accepted) throw new AppRequestRefused('CONNECT', result.code);
    this.started(client, PING_INTERVAL_MS, () => void client.ping(PING_INTERVAL_MS).catch((err: Error) => this.failed(err)));
    await this.#refreshFriends();
    await this.#pull(BigInt(this.storedSeq), 'connect');
  }

  async sendText(conversation: ConversationRef, text: string): Promise<string> {
    const sent = await this.connected.sendText(conversation, text);
    if (!sent.ok) throw new AppRequestRefused('MS', `error ${sent.errorCode}`);
    this.keepTyped(sent.messageId!, conversation, text);
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

  async #request(sub: 'MR' | 'GC' | 'GMI' | 'FAR' | 'FHR' | 'FP' | 'FRP', body: Uint8Array): Promise<TcpAck> {
    const ack = await this.connected.request(sub, body);
    if (ack.errorCode !== 0) throw new AppRequestRefused(sub, `error ${ack.errorCode}`);
    return ack;
  }

  async #pull(after: bigint, trigger: PullRecord['trigger']): Promise<void> {
    const result = await this.connected.pull(after, 0);
    if (!result.ok) throw new AppRequestRefused('MP', `error ${result.errorCode}`);
    this.pulls.push({ trigger, after: after.toString(), pullType: 0, current: result.current, head: result.head, count: result.messages.length, repeats: this.store.receive(result.messages) });
    if (BigInt(result.current) > BigInt(this.storedSeq)) this.storedSeq = result.current;
  }

  async #refreshFriends(): Promise<void> {
    const ack = await this.#request('FP', Proto.Version.encode({ version: 0 }));
    this.friends = Proto.GetFriendsResult.decode(ack.body).entry.map((f) => f.uid);
  }

  protected async onPush(push: TcpPush): Promise<void> {
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
}
