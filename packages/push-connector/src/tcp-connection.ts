import type { Socket } from 'node:net';
import type { ConnectResult } from '@fscpush/core';
import {
  FrameDecoder,
  Proto,
  Signal,
  SubSignal,
  decodeConnectBody,
  decodeDisconnectBody,
  decodePingBody,
  encodeFrame,
  pingBackText,
  pubAckParts,
  type Frame,
} from '@fscpush/protocol';
import { Connection, type ConnectionHost, type PublishOutcome } from './connection.ts';
import type { RequestContext } from './handlers/index.ts';
import { pushToTcp, type Push } from './pushes/index.ts';

const PING_GRACE_MS = 60_000;
const MAX_PING_INTERVAL_MS = 30 * 60_000;
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** The Android SDK's binary transport: 10-byte header frames, protobuf bodies, JSON CONNECT/PING. */
export class TcpConnection extends Connection {
  private readonly socket: Socket;
  private readonly decoder: FrameDecoder;
  /** writes of one tick leave in one syscall: corked on the first write, uncorked on nextTick */
  corked = false;

  constructor(host: ConnectionHost, socket: Socket, maxBodyBytes: number, idleTimeoutMs: number) {
    super(host, 'tcp', idleTimeoutMs);
    this.socket = socket;
    this.decoder = new FrameDecoder({ maxBodyBytes });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.onClosed());
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  private onData(chunk: Buffer): void {
    this.touch();
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.host.log.warn({ remote: this.remote, uid: this.uid, reason: (err as Error).message, code: (err as { code?: string }).code }, 'bad TCP frame; closing connection');
      this.socket.destroy();
      return;
    }
    for (const frame of frames) this.onFrame(frame);
  }

  private onFrame(frame: Frame): void {
    switch (frame.signal) {
      case Signal.CONNECT: {
        let req;
        try {
          req = decodeConnectBody(frame.body);
        } catch {
          this.writeRefusal(SubSignal.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
          this.close('malformed CONNECT');
          return;
        }
        void this.onConnect(req.userName, req.password, req.clientIdentifier);
        return;
      }
      case Signal.PING: {
        const interval = decodePingBody(frame.body);
        if (interval !== undefined) this.idleTimeoutMs = Math.min(interval, MAX_PING_INTERVAL_MS) + PING_GRACE_MS;
        this.write(encodeFrame({ signal: Signal.PING, subSignal: SubSignal.NONE, messageId: frame.messageId, body: Buffer.from(pingBackText(interval ?? this.idleTimeoutMs - PING_GRACE_MS)) }));
        return;
      }
      case Signal.DISCONNECT:
        void this.onDisconnect(decodeDisconnectBody(frame.body));
        return;
      case Signal.PUBLISH:
        this.onPublish(frame.subSignal, frame.messageId, (handler) => handler.fromTcp(frame.body));
        return;
      default:
        this.host.log.debug({ signal: frame.signal }, 'ignored TCP signal');
    }
  }

  protected writeConnectAck(result: ConnectResult): void {
    if (!result.ok) {
      this.writeRefusal(SubSignal[result.refusal]);
      return;
    }
    const body = Proto.ConnectAckPayload.encode({
      msgHead: result.msgHead,
      friendHead: result.friendHead,
      friendRqHead: result.friendRqHead,
      settingHead: result.settingHead,
      serverTime: String(result.serverTime),
    });
    this.write(encodeFrame({ signal: Signal.CONNECT_ACK, subSignal: SubSignal.CONNECTION_ACCEPTED, messageId: 0, body }));
  }

  private writeRefusal(subSignal: number): void {
    this.write(encodeFrame({ signal: Signal.CONNECT_ACK, subSignal, messageId: 0 }));
  }

  protected writePubAck(subSignal: number, messageId: number, outcome: PublishOutcome, _ctx: RequestContext): void {
    const body = outcome.ok ? pubAckParts(0, outcome.handler.toTcp(outcome.result)) : pubAckParts(outcome.code);
    this.write(encodeFrame({ signal: Signal.PUB_ACK, subSignal, messageId, body }));
  }

  push(push: Push): void {
    this.write(encodeFrame({ ...pushToTcp(push), messageId: 0 }));
  }

  protected terminate(): void {
    this.socket.end();
    this.socket.destroySoon();
  }

  private write(frame: Buffer): void {
    if (this.socket.destroyed) return;
    if (this.socket.writableLength > MAX_QUEUED_BYTES) {
      this.host.log.warn({ uid: this.uid, remote: this.remote }, 'client does not read; closing connection');
      this.socket.destroy();
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(uncork, this);
    }
    this.socket.write(frame);
  }

  flushCorked(): void {
    this.corked = false;
    this.socket.uncork();
  }
}

function uncork(conn: TcpConnection): void {
  conn.flushCorked();
}
