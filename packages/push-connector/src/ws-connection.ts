import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { ConnectResult } from '@fscpush/core';
import {
  Signal,
  SubSignal,
  buildWsEnvelope,
  connectAckToWebJson,
  isWsHeartbeat,
  parseConnectRequest,
  parseWsEnvelope,
  type WsInbound,
} from '@fscpush/protocol';
import { Connection, type ConnectionHost, type PublishOutcome } from './connection.ts';
import type { RequestContext } from './handlers/index.ts';
import { pushToWs, type Push } from './pushes/index.ts';

const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/**
 * The web client's transport: text frames with the JSON envelope. Replies carry content as a JSON
 * string; "" is the only failure signal the client understands.
 */
export class WsConnection extends Connection {
  private readonly ws: WebSocket;
  readonly remote: string;
  /** the socket under the WebSocket: corked on the first send of a tick, so one tick's frames leave in one syscall */
  private readonly socket: Socket | undefined;
  corked = false;

  constructor(host: ConnectionHost, ws: WebSocket, remote: string, idleTimeoutMs: number, socket?: Socket) {
    super(host, 'ws', idleTimeoutMs);
    this.ws = ws;
    this.remote = remote;
    this.socket = socket;
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('error', () => {});
    ws.on('close', () => this.onClosed());
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.touch();
    const text = data.toString('utf8');
    if (isWsHeartbeat(text)) return;
    let inbound: WsInbound;
    try {
      if (isBinary) throw new Error('binary frames are not part of the protocol');
      inbound = parseWsEnvelope(text);
    } catch (err) {
      this.host.log.warn({ remote: this.remote, uid: this.uid, reason: (err as Error).message }, 'bad WebSocket frame; closing connection');
      this.ws.close(1003, 'bad frame');
      return;
    }
    this.onEnvelope(inbound);
  }

  private onEnvelope(frame: WsInbound): void {
    switch (frame.signal) {
      case Signal.CONNECT: {
        let req;
        try {
          req = parseConnectRequest(frame.content);
        } catch {
          this.send({ signal: Signal.CONNECT_ACK, subSignal: SubSignal.CONNECTION_REFUSED_IDENTIFIER_REJECTED, content: '' });
          this.close('malformed CONNECT');
          return;
        }
        void this.onConnect(req.userName, req.password, req.clientIdentifier);
        return;
      }
      case Signal.DISCONNECT: {
        const content = frame.content as { clearSession?: unknown } | null;
        const clear = content !== null && typeof content === 'object' && (content.clearSession === 1 || content.clearSession === true || content.clearSession === '1');
        void this.onDisconnect(clear);
        return;
      }
      case Signal.PUBLISH:
        this.onPublish(frame.subSignal, frame.messageId, (handler) => handler.fromWs(frame.content));
        return;
      case Signal.PING:
        this.send({ signal: Signal.PING, messageId: frame.messageId, content: '' });
        return;
      default:
        this.host.log.debug({ signal: frame.signal }, 'ignored WebSocket signal');
    }
  }

  protected writeConnectAck(result: ConnectResult): void {
    if (!result.ok) {
      this.send({ signal: Signal.CONNECT_ACK, subSignal: SubSignal[result.refusal], content: '' });
      return;
    }
    const content = connectAckToWebJson({ msgHead: result.msgHead, friendHead: result.friendHead });
    this.send({ signal: Signal.CONNECT_ACK, subSignal: SubSignal.CONNECTION_ACCEPTED, content });
  }

  protected writePubAck(subSignal: number, messageId: number, outcome: PublishOutcome, ctx: RequestContext): void {
    const content = outcome.ok ? outcome.handler.toWs(outcome.result, ctx) : '';
    this.send({ signal: Signal.PUB_ACK, subSignal: subSignal as SubSignal, messageId, content });
  }

  push(push: Push): void {
    this.send(pushToWs(push, this.uid));
  }

  protected terminate(reason: string): void {
    this.ws.close(1000, reason.slice(0, 120));
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  private send(out: Parameters<typeof buildWsEnvelope>[0]): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_QUEUED_BYTES) {
      this.host.log.warn({ uid: this.uid, remote: this.remote }, 'client does not read; closing connection');
      this.ws.terminate();
      return;
    }
    if (this.socket !== undefined && !this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(uncork, this);
    }
    this.ws.send(buildWsEnvelope(out));
  }

  flushCorked(): void {
    this.corked = false;
    this.socket?.uncork();
  }
}

function uncork(conn: WsConnection): void {
  conn.flushCorked();
}
