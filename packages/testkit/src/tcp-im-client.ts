import net from 'node:net';
import {
  FrameDecoder, Proto, Signal, SubSignal, decodeSendMessageAck, encodeConnectBody, encodeDisconnectBody, encodeFrame,
  encodePingBody, messageToWebJson, signalName, subSignalName,
} from '@fscpush/protocol';
import type { ConnectAckPayload, Frame, Int64Like } from '@fscpush/protocol';
import { withDeadline } from './deadline.ts';
import { parseOrBadResponse, toSubSignal } from './parse-helpers.ts';
import type {
  ChatClient, CloseInfo, ConnectOptions, ConnectResult, ConversationRef, NotifyPush, PullResult, PushBase, RecallPush,
  RequestOptions, SendTextResult, SubSignalRef,
} from './im-client.ts';
import { PushStream } from './push-stream.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestTracker, type RequestIdCounter } from './request-tracker.ts';
import { TestkitError } from './testkit-error.ts';

export interface TcpAck {
  /** PUB_ACK byte 0 (ErrorCode). */
  errorCode: number;
  /** The result after the error byte. */
  body: Buffer;
  subSignal: number;
  messageId: number;
}

export interface TcpPush extends PushBase {
  body: Buffer;
}

export interface TcpImClientOptions {
  requestTimeoutMs?: number;
  maxBodyBytes?: number;
  pushBuffer?: number;
  /** The app's request-id counter (it outlives one connection); default: a new one starting at 1. */
  requestIds?: RequestIdCounter;
  /**
   * Match a PUB_ACK to its request by (signal, subSignal) and then messageId, as the Android SDK does: a
   * PUB_ACK with the request's id but another sub-signal is a push. Default: by messageId alone.
   */
  matchSubSignal?: boolean;
  /** Called right after CONNECT is written, before CONNECT_ACK (the Android app sends PING there). */
  onConnectSent?: (client: TcpImClient) => void;
}

/** One TCP connection speaking the Android client's binary protocol. Not reusable after close. */
export class TcpImClient implements ChatClient {
  readonly transport = 'tcp' as const;
  readonly pushes: PushStream<TcpPush>;
  readonly protocolErrors: Error[] = [];
  readonly closed: Promise<CloseInfo>;
  readonly requestTimeoutMs: number;
  #resolveClosed: (info: CloseInfo) => void;
  #decoder: FrameDecoder;
  #requests: RequestTracker<Frame>;
  readonly #matchSubSignal: boolean;
  readonly #onConnectSent: ((client: TcpImClient) => void) | undefined;
  #socket: net.Socket | undefined;
  #socketError: Error | undefined;
  #connectAck: PromiseWithResolvers<Frame> | undefined;
  #localClose = false;
  #isClosed = false;
  #userName: string | undefined;

  constructor(options: TcpImClientOptions = {}) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#decoder = new FrameDecoder(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes });
    this.pushes = new PushStream<TcpPush>(options.pushBuffer);
    this.#requests = new RequestTracker<Frame>(options.requestIds);
    this.#matchSubSignal = options.matchSubSignal ?? false;
    this.#onConnectSent = options.onConnectSent;
    const closed = Promise.withResolvers<CloseInfo>();
    this.closed = closed.promise;
    this.#resolveClosed = closed.resolve;
  }

  get userName(): string | undefined {
    return this.#userName;
  }

  get isOpen(): boolean {
    return this.#socket !== undefined && !this.#isClosed;
  }

  /** Opens the socket and sends CONNECT; a refusal resolves with accepted=false. */
  async connect(options: ConnectOptions): Promise<ConnectResult<ConnectAckPayload>> {
    if (this.#socket) throw new TestkitError('NOT_CONNECTED', 'TcpImClient connects once; create a new client');
    this.#userName = options.userName;
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const socket = net.connect({ host: options.host, port: options.port });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => {
      this.#socketError ??= err;
    });
    socket.on('close', () => this.#onClose());
    this.#connectAck = Promise.withResolvers<Frame>();
    const ack = this.#connectAck.promise;
    ack.catch(() => undefined);
    try {
      await withDeadline(new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        this.closed.then(() => reject(new TestkitError('CLOSED', `TCP connect failed: ${this.#socketError?.message ?? 'closed'}`, { cause: this.#socketError })));
      }), timeoutMs, 'TCP connect');
      this.#write(encodeFrame({
        signal: Signal.CONNECT,
        subSignal: SubSignal.NONE,
        messageId: 0,
        body: encodeConnectBody({ userName: options.userName, password: options.password, clientIdentifier: options.clientId }),
      }));
      this.#onConnectSent?.(this);
      const frame = await withDeadline(ack, timeoutMs, 'CONNECT_ACK');
      return connectResult(frame);
    } catch (err) {
      socket.destroy();
      throw err;
    } finally {
      this.#connectAck = undefined;
    }
  }

  /** PUBLISH with the next messageId; resolves with the PUB_ACK carrying that id. */
  async request(subSignal: SubSignalRef, payload: Uint8Array, options: RequestOptions = {}): Promise<TcpAck> {
    const sub = toSubSignal(subSignal);
    const messageId = this.#requests.nextId();
    const label = `PUBLISH/${subSignalName(sub)}`;
    const answer = this.#requests.track(messageId, Signal.PUB_ACK, options.timeoutMs ?? this.requestTimeoutMs, label, this.#matchSubSignal ? sub : undefined);
    try {
      this.#write(encodeFrame({ signal: Signal.PUBLISH, subSignal: sub, messageId, body: payload }));
    } catch (err) {
      this.#requests.fail(messageId, err as Error);
    }
    const frame = await answer;
    if (frame.body.byteLength === 0) throw new TestkitError('BAD_RESPONSE', `PUB_ACK ${messageId} has an empty body`);
    return { errorCode: frame.body[0]!, body: frame.body.subarray(1), subSignal: frame.subSignal, messageId };
  }

  /** PING {interval}; resolves with the server's echo text. */
  async ping(intervalMs = 120_000, options: RequestOptions = {}): Promise<string> {
    const messageId = this.#requests.nextId();
    const answer = this.#requests.track(messageId, Signal.PING, options.timeoutMs ?? this.requestTimeoutMs, 'PING');
    try {
      this.#write(encodeFrame({ signal: Signal.PING, subSignal: SubSignal.NONE, messageId, body: encodePingBody(intervalMs) }));
    } catch (err) {
      this.#requests.fail(messageId, err as Error);
    }
    return (await answer).body.toString('utf8');
  }

  /** Sends DISCONNECT(clearSession) and half-closes; waits for the server to close (destroys after the request timeout). */
  async disconnect(clearSession: boolean): Promise<CloseInfo> {
    this.#write(encodeFrame({ signal: Signal.DISCONNECT, subSignal: SubSignal.NONE, messageId: 0, body: encodeDisconnectBody(clearSession) }));
    this.#localClose = true;
    this.#socket!.end();
    const timer = setTimeout(() => this.#socket?.destroy(), this.requestTimeoutMs);
    const info = await this.closed;
    clearTimeout(timer);
    return info;
  }

  /** Abrupt close, like a killed client. */
  close(): Promise<CloseInfo> {
    if (this.#socket && !this.#isClosed) {
      this.#localClose = true;
      this.#socket.destroy();
    } else if (!this.#socket) {
      this.#onClose();
    }
    return this.closed;
  }

  /** Writes bytes as they are (bad-input tests). */
  sendRawFrame(bytes: Uint8Array): void {
    this.#write(bytes);
  }

  waitForPush(predicate: (push: TcpPush) => boolean, timeoutMs = this.requestTimeoutMs): Promise<TcpPush> {
    return this.pushes.waitFor(predicate, timeoutMs);
  }

  [Symbol.asyncIterator](): AsyncGenerator<TcpPush, void, undefined> {
    return this.pushes[Symbol.asyncIterator]();
  }

  async sendText(conversation: ConversationRef, text: string, options?: RequestOptions): Promise<SendTextResult> {
    const body = Proto.Message.encode({
      conversation: { type: conversation.type, target: conversation.target, line: conversation.line ?? 0 },
      fromUser: this.#userName ?? '',
      content: { type: 1, searchableContent: text },
    });
    const ack = await this.request(SubSignal.MS, body, options);
    if (ack.errorCode !== 0) return { ok: false, errorCode: ack.errorCode };
    const { messageId, timestamp } = parseOrBadResponse(() => decodeSendMessageAck(ack.body));
    return { ok: true, errorCode: 0, messageId, timestamp: Number(timestamp) };
  }

  async pull(cursor: Int64Like, pullType = 0, options?: RequestOptions): Promise<PullResult> {
    const ack = await this.request(SubSignal.MP, Proto.PullMessageRequest.encode({ id: cursor, type: pullType }), options);
    if (ack.errorCode !== 0) return { ok: false, errorCode: ack.errorCode, current: '0', head: '0', messages: [] };
    const result = parseOrBadResponse(() => Proto.PullMessageResult.decode(ack.body));
    return {
      ok: true,
      errorCode: 0,
      current: result.current,
      head: result.head,
      messages: result.message.map((msg) => messageToWebJson(msg, this.#userName)),
    };
  }

  async waitForNotify(timeoutMs = this.requestTimeoutMs): Promise<NotifyPush> {
    const push = await this.waitForPush((p) => p.signal === Signal.PUBLISH && p.subSignal === SubSignal.MN, timeoutMs);
    const notify = parseOrBadResponse(() => Proto.NotifyMessage.decode(push.body));
    return { head: notify.head, type: notify.type };
  }

  async waitForRecall(timeoutMs = this.requestTimeoutMs): Promise<RecallPush> {
    const push = await this.waitForPush((p) => p.signal === Signal.PUBLISH && p.subSignal === SubSignal.RMN, timeoutMs);
    const recall = parseOrBadResponse(() => Proto.NotifyRecallMessage.decode(push.body));
    return { messageId: recall.id, fromUser: recall.fromUser };
  }

  #write(bytes: Uint8Array): void {
    if (!this.#socket || this.#isClosed || this.#socket.writableEnded) throw new TestkitError('NOT_CONNECTED');
    this.#socket.write(bytes);
  }

  #onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (err) {
      this.protocolErrors.push(err as Error);
      this.#socket?.destroy();
      return;
    }
    for (const frame of frames) this.#onFrame(frame);
  }

  #onFrame(frame: Frame): void {
    if (frame.signal === Signal.CONNECT_ACK && this.#connectAck) {
      this.#connectAck.resolve(frame);
      return;
    }
    if ((frame.signal === Signal.PUB_ACK || frame.signal === Signal.PING)
      && this.#requests.settle(frame.messageId, frame.signal, frame, frame.subSignal)) return;
    this.pushes.add({
      signal: frame.signal,
      signalName: signalName(frame.signal),
      subSignal: frame.subSignal,
      subSignalName: subSignalName(frame.subSignal),
      messageId: frame.messageId,
      body: frame.body,
    });
  }

  #onClose(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    const error = this.#socketError;
    const reason = error ? error.message : this.#localClose ? 'closed by client' : 'closed by server';
    const closedError = new TestkitError('CLOSED', `TCP connection ${reason}`, { cause: error });
    this.#requests.rejectAll(closedError);
    this.#connectAck?.reject(closedError);
    this.pushes.end(closedError);
    this.#resolveClosed(error
      ? { initiator: this.#localClose ? 'local' : 'remote', reason, error }
      : { initiator: this.#localClose ? 'local' : 'remote', reason });
  }
}

function connectResult(frame: Frame): ConnectResult<ConnectAckPayload> {
  const code = subSignalName(frame.subSignal) ?? (`UNKNOWN_${frame.subSignal}` as const);
  if (frame.subSignal !== SubSignal.CONNECTION_ACCEPTED) return { accepted: false, code, subSignal: frame.subSignal };
  const ack = parseOrBadResponse(() => Proto.ConnectAckPayload.decode(frame.body));
  return { accepted: true, code, subSignal: frame.subSignal, ack };
}
