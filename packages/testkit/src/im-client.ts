import type { Int64Like, SignalName, SubSignal, SubSignalName, WebMessage } from '@fscpush/protocol';

export interface ConnectOptions {
  host: string;
  port: number;
  /** WebSocket only: request path, default "/". */
  path?: string;
  userName: string;
  password: string;
  clientId: string;
  /** How long to wait for the socket and the CONNECT_ACK; default 5 s. */
  timeoutMs?: number;
}

export interface ConnectResult<TAck> {
  accepted: boolean;
  /** Sub-signal name of the CONNECT_ACK, e.g. CONNECTION_ACCEPTED or CONNECTION_REFUSED_SESSION_NOT_EXIST. */
  code: SubSignalName | `UNKNOWN_${number}`;
  subSignal: number;
  /** Present when accepted: ConnectAckPayload (TCP) or the parsed JSON content (WS). */
  ack?: TAck;
}

export interface CloseInfo {
  /** 'local' when this side called close/disconnect first. */
  initiator: 'local' | 'remote';
  /** WebSocket close code (1006 on abrupt loss); undefined over TCP. */
  code?: number;
  reason: string;
  error?: Error;
}

export interface PushBase {
  signal: number;
  signalName: SignalName | undefined;
  subSignal: number;
  subSignalName: SubSignalName | undefined;
  messageId: number;
}

export interface ConversationRef {
  type: number;
  target: string;
  line?: number;
}

export interface SendTextResult {
  ok: boolean;
  /** PUB_ACK error byte (TCP only; the web protocol only knows "" = failure). */
  errorCode?: number;
  messageId?: string;
  timestamp?: number;
}

export interface PullResult {
  ok: boolean;
  errorCode?: number;
  current: string;
  head: string;
  /** In the web client's shape on both transports; private messages carry the peer as target. */
  messages: WebMessage[];
}

export interface NotifyPush {
  head: string;
  type: number;
}

export interface RecallPush {
  messageId: string;
  fromUser: string;
}

export interface RequestOptions {
  timeoutMs?: number;
}

/** What a transport-neutral test needs; TcpImClient and WsImClient both implement it. */
export interface ChatClient {
  readonly transport: 'tcp' | 'ws';
  readonly userName: string | undefined;
  readonly closed: Promise<CloseInfo>;
  /** Malformed server output seen so far (bad frames, non-JSON text, binary WS frames). */
  readonly protocolErrors: readonly Error[];
  connect(options: ConnectOptions): Promise<ConnectResult<unknown>>;
  sendText(conversation: ConversationRef, text: string, options?: RequestOptions): Promise<SendTextResult>;
  /** With pullType 0 both transports return the messages with seq > cursor. */
  pull(cursor: Int64Like, pullType?: number, options?: RequestOptions): Promise<PullResult>;
  waitForNotify(timeoutMs?: number): Promise<NotifyPush>;
  waitForRecall(timeoutMs?: number): Promise<RecallPush>;
  ping(intervalMs?: number): Promise<unknown>;
  disconnect(clearSession: boolean): Promise<CloseInfo>;
  close(): Promise<CloseInfo>;
}

export type SubSignalRef = SubSignal | SubSignalName;
