import net from 'node:net';
import WebSocket from 'ws';
import {
  FrameDecoder, Proto, Signal, SubSignal, WS_HEARTBEAT_TEXT, deriveConnectPassword, encodeConnectBody, encodeFrame,
  encodePingBody, type Frame, type SubSignalName,
} from '@fscpush/protocol';
import type { Endpoint } from './target.ts';

/**
 * Lean protocol clients for the load generator. They speak exactly what the Android SDK (TCP) and the
 * web client (WS) send, but keep per-connection state small and avoid per-request timers: a
 * scenario sweeps timeouts for all clients at once. Like the real clients, a device pulls (MP) when
 * notified (MN) and after every connect; a notify that arrives while a pull is in flight is coalesced
 * into one more pull after it.
 */
export type Transport = 'tcp' | 'ws';

export interface Account {
  uid: string;
  token: string;
  clientId: string;
}

export interface ClientHooks {
  /** searchable texts of pulled messages, in inbox order */
  onMessages(client: BenchClient, texts: string[]): void;
  onClose(client: BenchClient): void;
}

/** `empty`: a request's answer carried no entries (an empty protobuf result, a JSON `[]`). */
type AckCallback = (ok: boolean, error?: string, empty?: boolean) => void;

/** One request as each transport carries it: the protobuf body over TCP, the JSON content over WebSocket. */
export interface RequestBody {
  tcp: Uint8Array;
  ws: unknown;
}

interface Pending {
  sentAt: number;
  kind: 'send' | 'pull' | 'request';
  cb: AckCallback | undefined;
}

const MAX_REQUEST_ID = 0xffff;
const CONNECT_TIMEOUT_MS = 20_000;

export abstract class BenchClient {
  readonly index: number;
  readonly account: Account;
  readonly transport: Transport;
  hooks: ClientHooks;
  /** inbox cursor: the highest seq pulled (kept across reconnects, as the clients store it) */
  cursor = '0';
  /**
   * false until the first CONNECT_ACK: a new device starts at the inbox head it is told (earlier messages
   * are history, not part of the run); a reconnecting device keeps its stored cursor, even '0'.
   */
  hasCursor = false;
  open = false;
  /** pulled messages so far (all texts, bench or not) */
  pulled = 0;
  pulls = 0;
  nextBeatAt = 0;
  protected readonly pending = new Map<number, Pending>();
  private lastId = 0;
  private pulling = false;
  private pullAgain = false;

  constructor(index: number, account: Account, transport: Transport, hooks: ClientHooks) {
    this.index = index;
    this.account = account;
    this.transport = transport;
    this.hooks = hooks;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  abstract connect(endpoint: Endpoint, localAddress: string | undefined): Promise<void>;
  abstract heartbeat(): void;
  /** abrupt close (killed app / closed tab) */
  abstract close(): void;
  protected abstract writeSend(id: number, convType: number, target: string, text: string): boolean;
  protected abstract writePull(id: number, afterNotify: boolean): boolean;
  protected abstract writeRequest(id: number, subSignal: SubSignalName, body: RequestBody): boolean;

  /** MS; `cb` runs once with the PUB_ACK outcome (or a timeout / close). */
  send(convType: number, target: string, text: string, cb: AckCallback): void {
    if (!this.open) {
      cb(false, 'not connected');
      return;
    }
    const id = this.nextId();
    this.pending.set(id, { sentAt: performance.now(), kind: 'send', cb });
    if (!this.writeSend(id, convType, target, text)) this.settle(id, false, 'write failed');
  }

  /** Any other PUBLISH request (UPUI, GPGM, FP…); `cb` runs once with the PUB_ACK outcome (or a timeout / close). */
  request(subSignal: SubSignalName, body: RequestBody, cb: AckCallback): void {
    if (!this.open) {
      cb(false, 'not connected');
      return;
    }
    const id = this.nextId();
    this.pending.set(id, { sentAt: performance.now(), kind: 'request', cb });
    if (!this.writeRequest(id, subSignal, body)) this.settle(id, false, 'write failed');
  }

  /** Pulls after the cursor; while a pull is in flight, one more is queued instead. */
  pull(afterNotify = false): void {
    if (!this.open) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = true;
    const id = this.nextId();
    this.pending.set(id, { sentAt: performance.now(), kind: 'pull', cb: undefined });
    this.pulls += 1;
    if (!this.writePull(id, afterNotify)) this.settle(id, false, 'write failed');
  }

  /** Fails requests older than `timeoutMs`; returns how many. */
  expire(now: number, timeoutMs: number): number {
    let expired = 0;
    for (const [id, p] of this.pending) {
      if (now - p.sentAt < timeoutMs) break;
      expired += 1;
      this.settle(id, false, 'timeout');
    }
    return expired;
  }

  protected onPullResult(id: number, ok: boolean, current: string, head: string, texts: string[]): void {
    this.pending.delete(id);
    this.pulling = false;
    if (ok) {
      if (BigInt(current) > BigInt(this.cursor)) this.cursor = current;
      this.pulled += texts.length;
      if (texts.length > 0) this.hooks.onMessages(this, texts);
      if (BigInt(current) < BigInt(head)) this.pullAgain = true;
    }
    if (this.pullAgain) {
      this.pullAgain = false;
      this.pull(true);
    }
  }

  protected settle(id: number, ok: boolean, error?: string, empty = false): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.kind === 'pull') {
      this.pulling = false;
      return;
    }
    p.cb?.(ok, error, empty);
  }

  protected isPull(id: number): boolean {
    return this.pending.get(id)?.kind === 'pull';
  }

  protected closed(): void {
    this.open = false;
    this.pulling = false;
    this.pullAgain = false;
    for (const id of [...this.pending.keys()]) this.settle(id, false, 'closed');
    this.hooks.onClose(this);
  }

  private nextId(): number {
    do {
      this.lastId = this.lastId >= MAX_REQUEST_ID ? 1 : this.lastId + 1;
    } while (this.pending.has(this.lastId));
    return this.lastId;
  }
}

/** The Android SDK's binary TCP frames with protobuf bodies. */
export class TcpBenchClient extends BenchClient {
  private socket: net.Socket | undefined;
  private readonly decoder = new FrameDecoder();
  private connectAck: ((frame: Frame) => void) | undefined;

  constructor(index: number, account: Account, hooks: ClientHooks) {
    super(index, account, 'tcp', hooks);
  }

  connect(endpoint: Endpoint, localAddress: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: endpoint.host, port: endpoint.port, ...(localAddress !== undefined && { localAddress }) });
      this.socket = socket;
      socket.setNoDelay(true);
      const timer = setTimeout(() => fail(new Error('CONNECT timeout')), CONNECT_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.connectAck = undefined;
        socket.destroy();
        reject(err);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.write(encodeFrame({
          signal: Signal.CONNECT,
          subSignal: SubSignal.NONE,
          messageId: 0,
          body: encodeConnectBody({ userName: this.account.uid, password: deriveConnectPassword(this.account.token), clientIdentifier: this.account.clientId }),
        }));
      });
      this.connectAck = (frame) => {
        clearTimeout(timer);
        this.connectAck = undefined;
        if (frame.subSignal !== SubSignal.CONNECTION_ACCEPTED) {
          fail(new Error(`CONNECT refused (${frame.subSignal})`));
          return;
        }
        socket.off('error', fail);
        socket.on('error', () => {});
        socket.on('close', () => this.closed());
        const ack = Proto.ConnectAckPayload.decode(frame.body);
        if (!this.hasCursor) this.cursor = String(ack.msgHead ?? '0');
        this.hasCursor = true;
        this.open = true;
        resolve();
        this.pull(false);
      };
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
    });
  }

  heartbeat(): void {
    this.write(encodeFrame({ signal: Signal.PING, subSignal: SubSignal.NONE, messageId: 0, body: encodePingBody(60_000) }));
  }

  close(): void {
    this.socket?.destroy();
  }

  protected writeSend(id: number, convType: number, target: string, text: string): boolean {
    const body = Proto.Message.encode({
      conversation: { type: convType, target, line: 0 },
      fromUser: this.account.uid,
      content: { type: 1, searchableContent: text },
    });
    return this.write(encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal.MS, messageId: id, body }));
  }

  protected writePull(id: number): boolean {
    const body = Proto.PullMessageRequest.encode({ id: this.cursor, type: 0 });
    return this.write(encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal.MP, messageId: id, body }));
  }

  protected writeRequest(id: number, subSignal: SubSignalName, body: RequestBody): boolean {
    return this.write(encodeFrame({ signal: Signal.PUBLISH, subSignal: SubSignal[subSignal], messageId: id, body: body.tcp }));
  }

  private write(frame: Buffer): boolean {
    const socket = this.socket;
    if (!socket || socket.destroyed || !this.open) return false;
    socket.write(frame);
    return true;
  }

  private onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch {
      this.socket?.destroy();
      return;
    }
    for (const frame of frames) this.onFrame(frame);
  }

  private onFrame(frame: Frame): void {
    if (frame.signal === Signal.CONNECT_ACK) {
      this.connectAck?.(frame);
      return;
    }
    if (frame.signal === Signal.PUB_ACK && frame.messageId !== 0) {
      const ok = frame.body.byteLength > 0 && frame.body[0] === 0;
      if (this.isPull(frame.messageId)) {
        if (!ok) {
          this.onPullResult(frame.messageId, false, '0', '0', []);
          return;
        }
        const result = Proto.PullMessageResult.decode(frame.body.subarray(1));
        const texts = result.message.map((m) => m.content?.searchableContent ?? '');
        this.onPullResult(frame.messageId, true, String(result.current), String(result.head), texts);
        return;
      }
      this.settle(frame.messageId, ok, ok ? undefined : `error ${frame.body[0]}`, frame.body.byteLength <= 1);
      return;
    }
    if (frame.signal === Signal.PUBLISH && frame.subSignal === SubSignal.MN) this.pull(true);
  }
}

/** The web client's JSON envelopes over WebSocket text frames. */
export class WsBenchClient extends BenchClient {
  private ws: WebSocket | undefined;
  private connectAck: ((subSignal: string, content: string) => void) | undefined;

  constructor(index: number, account: Account, hooks: ClientHooks) {
    super(index, account, 'ws', hooks);
  }

  connect(endpoint: Endpoint, localAddress: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${endpoint.host}:${endpoint.port}${endpoint.path ?? '/ws'}`, {
        perMessageDeflate: false,
        handshakeTimeout: CONNECT_TIMEOUT_MS,
        ...(localAddress !== undefined && { localAddress }),
      });
      this.ws = ws;
      const timer = setTimeout(() => fail(new Error('CONNECT timeout')), CONNECT_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.connectAck = undefined;
        ws.terminate();
        reject(err);
      };
      ws.once('error', fail);
      ws.once('open', () => {
        ws.send(JSON.stringify({
          signal: 'CONNECT',
          subSignal: 'NONE',
          messageId: 0,
          content: { userName: this.account.uid, password: deriveConnectPassword(this.account.token, { webQuirks: true }), clientIdentifier: this.account.clientId },
        }));
      });
      this.connectAck = (subSignal, content) => {
        clearTimeout(timer);
        this.connectAck = undefined;
        if (subSignal !== 'CONNECTION_ACCEPTED') {
          fail(new Error(`CONNECT refused (${subSignal})`));
          return;
        }
        ws.off('error', fail);
        ws.on('error', () => {});
        ws.on('close', () => this.closed());
        const ack = JSON.parse(content) as { messageHead?: string };
        if (!this.hasCursor) this.cursor = String(ack.messageHead ?? '0');
        this.hasCursor = true;
        this.open = true;
        resolve();
        this.pull(false);
      };
      ws.on('message', (data: Buffer) => this.onMessage(data));
    });
  }

  heartbeat(): void {
    if (this.open) this.ws?.send(WS_HEARTBEAT_TEXT);
  }

  close(): void {
    this.ws?.terminate();
  }

  protected writeSend(id: number, convType: number, target: string, text: string): boolean {
    if (!this.open || !this.ws) return false;
    const now = Date.now();
    this.ws.send(JSON.stringify({
      signal: 'PUBLISH',
      subSignal: 'MS',
      messageId: id,
      content: {
        conversationType: convType, target, line: 0, from: this.account.uid,
        content: { type: 1, searchableContent: text, mentionedType: 0, mentionedTargets: [] },
        messageId: now, direction: 0, status: 0, messageUid: 0, timestamp: now, to: '',
      },
    }));
    return true;
  }

  /** After MN the web client pulls "from head" with pullType 1; after connecting, from its stored cursor. */
  protected writePull(id: number, afterNotify: boolean): boolean {
    if (!this.open || !this.ws) return false;
    this.ws.send(JSON.stringify({
      signal: 'PUBLISH',
      subSignal: 'MP',
      messageId: id,
      content: { messageId: this.cursor, type: 0, pullType: afterNotify ? 1 : 0, sendMessageCount: 0 },
    }));
    return true;
  }

  protected writeRequest(id: number, subSignal: SubSignalName, body: RequestBody): boolean {
    if (!this.open || !this.ws) return false;
    this.ws.send(JSON.stringify({ signal: 'PUBLISH', subSignal, messageId: id, content: body.ws }));
    return true;
  }

  private onMessage(data: Buffer): void {
    let envelope: { signal: string; subSignal: string; messageId?: number; content: string };
    try {
      envelope = JSON.parse(data.toString('utf8')) as typeof envelope;
    } catch {
      return;
    }
    if (envelope.signal === 'CONNECT_ACK') {
      this.connectAck?.(envelope.subSignal, envelope.content);
      return;
    }
    const id = envelope.messageId ?? 0;
    if (envelope.signal === 'PUB_ACK' && id !== 0) {
      const ok = envelope.content !== '';
      if (this.isPull(id)) {
        if (!ok) {
          this.onPullResult(id, false, '0', '0', []);
          return;
        }
        const result = JSON.parse(envelope.content) as { current: string; head: string; messageResponseList: { content?: { searchableContent?: string } }[] };
        const texts = result.messageResponseList.map((m) => m.content?.searchableContent ?? '');
        this.onPullResult(id, true, String(result.current), String(result.head), texts);
        return;
      }
      this.settle(id, ok, ok ? undefined : 'failed', envelope.content === '[]');
      return;
    }
    if (envelope.signal === 'PUBLISH' && envelope.subSignal === 'MN') this.pull(true);
  }
}

export function newClient(index: number, account: Account, transport: Transport, hooks: ClientHooks): BenchClient {
  return transport === 'tcp' ? new TcpBenchClient(index, account, hooks) : new WsBenchClient(index, account, hooks);
}
