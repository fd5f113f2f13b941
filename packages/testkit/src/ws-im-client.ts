import WebSocket from 'ws';
import {
  Signal, SubSignal, WS_HEARTBEAT_TEXT, buildWsClientEnvelope, parseWsServerEnvelope, signalName, subSignalName,
} from '@fscpush/protocol';
import type { Int64Like, WebMessage, WsServerEnvelope } from '@fscpush/protocol';
import { withDeadline } from './deadline.ts';
import type {
  ChatClient, CloseInfo, ConnectOptions, ConnectResult, ConversationRef, NotifyPush, PullResult, PushBase, RecallPush,
  RequestOptions, SendTextResult, SubSignalRef,
} from './im-client.ts';
import { parseJsonContent, parseOrBadResponse, toSubSignal } from './parse-helpers.ts';
import { PushStream } from './push-stream.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestTracker, type RequestIdCounter } from './request-tracker.ts';
import { TestkitError } from './testkit-error.ts';

export interface WsAck {
  /** Always a string; "" is the web protocol's only failure signal. */
  content: string;
  subSignal: number;
  messageId: number;
}

export interface WsPush extends PushBase {
  content: string;
}

export interface WsImClientOptions {
  requestTimeoutMs?: number;
  pushBuffer?: number;
  /** Full URL instead of ws://host:port/path (e.g. wss://…). */
  url?: string;
  /** Certificate authority to trust for wss:// (a test server's self-signed certificate). */
  ca?: string | Buffer;
  /** The app's request-id counter (vue-chat keeps it in localStorage); default: a new one starting at 1. */
  requestIds?: RequestIdCounter;
}

/** One WebSocket connection speaking the web client's JSON envelope. Not reusable after close. */
export class WsImClient implements ChatClient {
  readonly transport = 'ws' as const;
  readonly pushes: PushStream<WsPush>;
  readonly protocolErrors: Error[] = [];
  readonly closed: Promise<CloseInfo>;
  readonly requestTimeoutMs: number;
  readonly #url: string | undefined;
  #resolveClosed: (info: CloseInfo) => void;
  #requests: RequestTracker<WsServerEnvelope>;
  #ws: WebSocket | undefined;
  #wsError: Error | undefined;
  #connectAck: PromiseWithResolvers<WsServerEnvelope> | undefined;
  #localClose = false;
  #isClosed = false;
  #userName: string | undefined;

  readonly #ca: string | Buffer | undefined;

  constructor(options: WsImClientOptions = {}) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.pushes = new PushStream<WsPush>(options.pushBuffer);
    this.#requests = new RequestTracker<WsServerEnvelope>(options.requestIds);
    this.#url = options.url;
    this.#ca = options.ca;
    const closed = Promise.withResolvers<CloseInfo>();
    this.closed = closed.promise;
    this.#resolveClosed = closed.resolve;
  }

  get userName(): string | undefined {
    return this.#userName;
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket and sends CONNECT as the web client does; a refusal resolves with accepted=false. */
  async connect(options: ConnectOptions): Promise<ConnectResult<unknown>> {
    if (this.#ws) throw new TestkitError('NOT_CONNECTED', 'WsImClient connects once; create a new client');
    this.#userName = options.userName;
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const url = this.#url ?? `ws://${formatHost(options.host)}:${options.port}${options.path ?? '/'}`;
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, ...(this.#ca !== undefined && { ca: this.#ca }) });
    this.#ws = ws;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('error', (err) => {
      this.#wsError ??= err;
    });
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString('utf8')));
    this.#connectAck = Promise.withResolvers<WsServerEnvelope>();
    const ack = this.#connectAck.promise;
    ack.catch(() => undefined);
    try {
      await withDeadline(new Promise<void>((resolve, reject) => {
        ws.once('open', resolve);
        this.closed.then(() => reject(new TestkitError('CLOSED', `WebSocket open failed: ${this.#wsError?.message ?? 'closed'}`, { cause: this.#wsError })));
      }), timeoutMs, 'WebSocket open');
      this.sendRawText(buildWsClientEnvelope({
        signal: 'CONNECT',
        subSignal: 'NONE',
        messageId: 0,
        content: { userName: options.userName, password: options.password, clientIdentifier: options.clientId },
      }));
      const envelope = await withDeadline(ack, timeoutMs, 'CONNECT_ACK');
      return connectResult(envelope);
    } catch (err) {
      ws.terminate();
      throw err;
    } finally {
      this.#connectAck = undefined;
    }
  }

  /** PUBLISH with the next numeric messageId; resolves with the PUB_ACK echoing it. */
  async request(subSignal: SubSignalRef, payload: object, options: RequestOptions = {}): Promise<WsAck> {
    const sub = toSubSignal(subSignal);
    const messageId = this.#requests.nextId();
    const answer = this.#requests.track(messageId, Signal.PUB_ACK, options.timeoutMs ?? this.requestTimeoutMs, `PUBLISH/${subSignalName(sub)}`);
    try {
      this.sendRawText(buildWsClientEnvelope({ signal: Signal.PUBLISH, subSignal: sub as SubSignal, messageId, content: payload }));
    } catch (err) {
      this.#requests.fail(messageId, err as Error);
    }
    const envelope = await answer;
    return { content: envelope.content, subSignal: envelope.subSignal, messageId };
  }

  /** `request` plus JSON.parse of the content; json is undefined when the content is "" (failure). */
  async requestJson(subSignal: SubSignalRef, payload: object, options?: RequestOptions): Promise<{ ok: boolean; json: unknown }> {
    const ack = await this.request(subSignal, payload, options);
    if (ack.content === '') return { ok: false, json: undefined };
    return { ok: true, json: parseJsonContent(ack.content, `PUB_ACK/${subSignalName(ack.subSignal)}`) };
  }

  /** Sends the web client's heartbeat text; the server does not answer it. */
  async ping(): Promise<void> {
    this.sendRawText(WS_HEARTBEAT_TEXT);
  }

  /** Sends DISCONNECT {clearSession} like the logout button, then closes (terminates after the request timeout). */
  async disconnect(clearSession: boolean): Promise<CloseInfo> {
    this.sendRawText(buildWsClientEnvelope({ signal: 'DISCONNECT', subSignal: 'NONE', messageId: 0, content: { clearSession: clearSession ? 1 : 0 } }));
    this.#localClose = true;
    this.#ws!.close(1000);
    const timer = setTimeout(() => this.#ws?.terminate(), this.requestTimeoutMs);
    const info = await this.closed;
    clearTimeout(timer);
    return info;
  }

  /** Abrupt close (no close handshake), like a killed browser tab. */
  close(): Promise<CloseInfo> {
    if (this.#ws && !this.#isClosed) {
      this.#localClose = true;
      this.#ws.terminate();
    } else if (!this.#ws) {
      this.#onClose(1006, '');
    }
    return this.closed;
  }

  sendRawText(text: string): void {
    if (!this.isOpen) throw new TestkitError('NOT_CONNECTED');
    this.#ws!.send(text);
  }

  /** A binary frame, which the web protocol never uses (bad-input tests). */
  sendRawBinary(bytes: Uint8Array): void {
    if (!this.isOpen) throw new TestkitError('NOT_CONNECTED');
    this.#ws!.send(bytes, { binary: true });
  }

  waitForPush(predicate: (push: WsPush) => boolean, timeoutMs = this.requestTimeoutMs): Promise<WsPush> {
    return this.pushes.waitFor(predicate, timeoutMs);
  }

  [Symbol.asyncIterator](): AsyncGenerator<WsPush, void, undefined> {
    return this.pushes[Symbol.asyncIterator]();
  }

  async sendText(conversation: ConversationRef, text: string, options?: RequestOptions): Promise<SendTextResult> {
    const now = Date.now();
    const ack = await this.request(SubSignal.MS, {
      conversationType: conversation.type,
      target: conversation.target,
      line: conversation.line ?? 0,
      from: this.#userName ?? '',
      content: { type: 1, searchableContent: text, mentionedType: 0, mentionedTargets: [] },
      messageId: now,
      direction: 0,
      status: 0,
      messageUid: 0,
      timestamp: now,
      to: '',
    }, options);
    if (ack.content === '') return { ok: false };
    const json = parseJsonContent(ack.content, 'PUB_ACK/MS') as { messageId?: unknown; timestamp?: unknown };
    if (typeof json.messageId !== 'string' || typeof json.timestamp !== 'number') {
      throw new TestkitError('BAD_RESPONSE', `MS ack needs a string messageId and a number timestamp: ${ack.content}`);
    }
    return { ok: true, messageId: json.messageId, timestamp: json.timestamp };
  }

  /** MP as the web client sends it after login (pullType 0) or after MN (pullType 1). */
  async pull(cursor: Int64Like, pullType = 0, options?: RequestOptions, sendMessageCount = 0): Promise<PullResult> {
    const ack = await this.request(SubSignal.MP, { messageId: String(cursor), type: 0, pullType, sendMessageCount }, options);
    if (ack.content === '') return { ok: false, current: '0', head: '0', messages: [] };
    const json = parseJsonContent(ack.content, 'PUB_ACK/MP') as { current?: unknown; head?: unknown; messageResponseList?: unknown };
    if (!Array.isArray(json.messageResponseList) || json.current === undefined || json.head === undefined) {
      throw new TestkitError('BAD_RESPONSE', `MP result needs current, head and messageResponseList: ${ack.content.slice(0, 200)}`);
    }
    return { ok: true, current: String(json.current), head: String(json.head), messages: json.messageResponseList as WebMessage[] };
  }

  async waitForNotify(timeoutMs = this.requestTimeoutMs): Promise<NotifyPush> {
    const push = await this.waitForPush((p) => p.signal === Signal.PUBLISH && p.subSignal === SubSignal.MN, timeoutMs);
    const json = parseJsonContent(push.content, 'MN') as { messageHead?: unknown; type?: unknown };
    if (json.messageHead === undefined || json.messageHead === null) throw new TestkitError('BAD_RESPONSE', `MN without messageHead: ${push.content}`);
    return { head: String(json.messageHead), type: Number(json.type ?? 0) };
  }

  async waitForRecall(timeoutMs = this.requestTimeoutMs): Promise<RecallPush> {
    const push = await this.waitForPush((p) => p.signal === Signal.PUBLISH && p.subSignal === SubSignal.RMN, timeoutMs);
    const json = parseJsonContent(push.content, 'RMN') as { fromUser?: unknown; messageUid?: unknown };
    return { messageId: String(json.messageUid), fromUser: String(json.fromUser) };
  }

  #onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) {
      this.protocolErrors.push(new TestkitError('BAD_RESPONSE', 'server sent a binary frame; the web client needs text'));
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Buffer).toString('utf8');
    let envelope: WsServerEnvelope;
    try {
      envelope = parseWsServerEnvelope(text);
    } catch (err) {
      this.protocolErrors.push(err as Error);
      return;
    }
    if (envelope.signal === Signal.CONNECT_ACK && this.#connectAck) {
      this.#connectAck.resolve(envelope);
      return;
    }
    if (envelope.signal === Signal.PUB_ACK && this.#requests.settle(envelope.messageId, Signal.PUB_ACK, envelope)) return;
    this.pushes.add({
      signal: envelope.signal,
      signalName: signalName(envelope.signal),
      subSignal: envelope.subSignal,
      subSignalName: subSignalName(envelope.subSignal),
      messageId: envelope.messageId,
      content: envelope.content,
    });
  }

  #onClose(code: number, reason: string): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    const error = this.#wsError;
    const closedError = new TestkitError('CLOSED', `WebSocket closed (${code}${reason ? ` ${reason}` : ''})`, { cause: error });
    this.#requests.rejectAll(closedError);
    this.#connectAck?.reject(closedError);
    this.pushes.end(closedError);
    const initiator = this.#localClose ? 'local' : 'remote';
    this.#resolveClosed(error ? { initiator, code, reason, error } : { initiator, code, reason });
  }
}

function connectResult(envelope: WsServerEnvelope): ConnectResult<unknown> {
  const code = subSignalName(envelope.subSignal) ?? (`UNKNOWN_${envelope.subSignal}` as const);
  if (envelope.subSignal !== SubSignal.CONNECTION_ACCEPTED) return { accepted: false, code, subSignal: envelope.subSignal };
  const ack = parseOrBadResponse(() => JSON.parse(envelope.content) as unknown);
  return { accepted: true, code, subSignal: envelope.subSignal, ack };
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
