import type { AppAccount } from './app-login.ts';
import type { ConversationRef } from './im-client.ts';
import type { MessageStore } from './message-store.ts';
import type { PushStream } from './push-stream.ts';
import type { RequestIdCounter } from './request-tracker.ts';

/** Where an app connects: the connector's TCP port (Android) or WebSocket port and path (web). */
export interface AppEndpoint {
  host: string;
  tcpPort: number;
  wsPort: number;
  wsPath?: string;
}

/** One pull an app made, as its answer came back. */
export interface PullRecord {
  /** What made the app pull: its connect, or an MN. */
  trigger: 'connect' | 'notify';
  after: string;
  pullType: number;
  current: string;
  head: string;
  count: number;
  /** Messages in the answer that the device had been given before. */
  repeats: number;
}

/**
 * One FShareChat client app on one device, driving the protocol by its own rules (AndroidApp, WebApp).
 * Requests that the server refuses throw; what the app does by itself (pulls after MN, friend-list
 * refreshes after FN) runs in its push loop, and a failure there lands in `errors`.
 */
export interface ClientApp {
  readonly kind: 'android' | 'web';
  readonly account: AppAccount;
  readonly store: MessageStore;
  /** The friend list as the last FP answered it. */
  readonly friends: readonly string[];
  /** Users whose friend request reached this device (FRN, then FRP). */
  readonly friendRequestsFrom: ReadonlySet<string>;
  readonly pulls: readonly PullRecord[];
  /** The app's request-id counter, which outlives its connections. */
  readonly requestIds: RequestIdCounter;
  readonly errors: readonly Error[];
  readonly online: boolean;
  /** The seq the app's pull on its next connect starts from (what it stored). */
  readonly resumeSeq: string;
  connect(endpoint: AppEndpoint): Promise<void>;
  /** Drops the connection as a killed app or closed tab does; the app's stored state stays. */
  close(): Promise<void>;
  sendText(conversation: ConversationRef, text: string): Promise<string>;
  recall(messageId: string): Promise<void>;
  createGroup(name: string, members: readonly string[]): Promise<string>;
  renameGroup(groupId: string, name: string): Promise<void>;
  requestFriend(target: string, reason: string): Promise<void>;
  acceptFriend(from: string): Promise<void>;
}

/** A server refusal of an app's request. */
export class AppRequestRefused extends Error {
  constructor(what: string, detail: string) {
    super(`${what} refused: ${detail}`);
    this.name = 'AppRequestRefused';
  }
}

/**
 * Handles the pushes of one connection one after another, as the apps' single message loop does, until
 * the connection ends. A handler's failure is recorded and the loop goes on.
 */
export async function runPushLoop<T>(pushes: PushStream<T>, handle: (push: T) => Promise<void>, failed: (err: Error) => void): Promise<void> {
  for await (const push of pushes) {
    try {
      await handle(push);
    } catch (err) {
      failed(err as Error);
    }
  }
}
