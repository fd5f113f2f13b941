import type { AppAccount } from './app-login.ts';
import { runPushLoop, type PullRecord } from './client-app.ts';
import type { CloseInfo, ConversationRef } from './im-client.ts';
import { MessageStore, type StoreDedup } from './message-store.ts';
import type { PushStream } from './push-stream.ts';
import { RequestIdCounter } from './request-tracker.ts';
import { TestkitError } from './testkit-error.ts';

const TEXT = 1;

/** What both apps' connections offer the session: open state, pushes, an end. */
export interface AppConnection<P> {
  readonly isOpen: boolean;
  readonly closed: Promise<CloseInfo>;
  readonly pushes: PushStream<P>;
  close(): Promise<unknown>;
}

export interface AppSessionOptions {
  /** The app's request-id counter, kept across connections. */
  requestIds?: RequestIdCounter;
  requestTimeoutMs?: number;
}

/**
 * What the Android app and the web client keep alike: the device's store and records, one connection at a
 * time with its push loop and heartbeat, and errors of what the app does by itself. Each app adds its own
 * wire discipline.
 */
export abstract class AppSession<C extends AppConnection<P>, P> {
  readonly account: AppAccount;
  readonly store: MessageStore;
  readonly requestIds: RequestIdCounter;
  readonly pulls: PullRecord[] = [];
  readonly errors: Error[] = [];
  readonly friendRequestsFrom = new Set<string>();
  friends: string[] = [];
  protected readonly requestTimeoutMs: number;
  protected client: C | undefined;
  #loop: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #closing = false;

  constructor(account: AppAccount, dedup: StoreDedup, options: AppSessionOptions) {
    this.account = account;
    this.store = new MessageStore(dedup);
    this.requestIds = options.requestIds ?? new RequestIdCounter();
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  get online(): boolean {
    return this.client?.isOpen ?? false;
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    await this.client?.close();
    await this.#loop;
  }

  protected abstract onPush(push: P): Promise<void>;

  /** Before a new connection: one at a time. */
  protected opening(): void {
    if (this.online) throw new TestkitError('NOT_CONNECTED', 'already connected');
    this.#closing = false;
  }

  /** An accepted connection: a server close is an error, the heartbeat runs, pushes are handled in turn. */
  protected started(client: C, heartbeatMs: number, beat: () => void): void {
    void client.closed.then((info) => {
      if (!this.#closing) this.errors.push(new Error(`the server closed the connection: ${info.reason}`));
    });
    this.#heartbeat = setInterval(() => {
      if (client.isOpen) beat();
    }, heartbeatMs).unref();
    this.#loop = runPushLoop(client.pushes, (push) => this.onPush(push), (err) => this.failed(err));
  }

  protected get connected(): C {
    if (this.client === undefined || !this.client.isOpen) throw new TestkitError('NOT_CONNECTED');
    return this.client;
  }

  /** The local copy of a text the user typed (the only local copy either app keeps). */
  protected keepTyped(messageId: string, conversation: ConversationRef, text: string): void {
    this.store.keepLocal({ messageId, from: this.account.userId, conversationType: conversation.type, target: conversation.target, type: TEXT, text, binaryContent: '' });
  }

  protected failed(err: Error): void {
    if (this.#closing && err instanceof TestkitError && (err.code === 'CLOSED' || err.code === 'NOT_CONNECTED')) return;
    this.errors.push(err);
  }
}
