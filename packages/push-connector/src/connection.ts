import { randomUUID } from 'node:crypto';
import { asFscError, type ConnectResult, type Logger, type MessageDto, type Transport } from '@fscpush/core';
import { ErrorCode, subSignalName } from '@fscpush/protocol';
import { PUBLISH_HANDLERS, type PublishHandler, type PullState, type RequestContext } from './handlers/index.ts';
import type { ConnectorServices } from './services.ts';
import type { DeliveryReports } from './delivery-reports.ts';
import { NotifiedInbox, type LocalPullLimits } from './notified-inbox.ts';
import { DeviceFrontier } from './device-frontier.ts';
import type { Push } from './pushes/index.ts';

export type ConnectionState = 'awaiting-connect' | 'connecting' | 'open' | 'closed';

export interface ConnectionHost {
  readonly node: string;
  readonly services: ConnectorServices;
  readonly log: Logger;
  readonly maxInFlight: number;
  readonly pullLimits: LocalPullLimits;
  readonly reports: DeliveryReports;
  /** the connection authenticated: the host indexes it and closes an older one with the same client id */
  attach(conn: Connection): void;
  detach(conn: Connection): void;
}

export type PublishOutcome = { ok: true; handler: PublishHandler<unknown, unknown>; result: unknown } | { ok: false; code: number };

/**
 * One client connection, whatever its transport. States:
 *   awaiting-connect --CONNECT--> connecting --accepted--> open --close/kick/idle--> closed
 *                                            \--refused--> closed
 * Subclasses decode frames into calls of onConnect/onPublish/onDisconnect and encode the write* methods.
 */
export abstract class Connection {
  readonly connToken = randomUUID();
  readonly transport: Transport;
  protected readonly host: ConnectionHost;
  state: ConnectionState = 'awaiting-connect';
  uid = '';
  clientId = '';
  /** ms of the last frame received; the idle sweeper compares it with idleTimeoutMs */
  lastSeen = Date.now();
  idleTimeoutMs: number;
  private readonly pull: PullState;
  private orderedChain: Promise<void> = Promise.resolve();
  private pullChain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  /** pulls received and not yet answered; MN waits for them (see notify) */
  private pullsInFlight = 0;
  /** the highest inbox seq announced, or reported by a pull's answer, while pulls were pending */
  private owedNotify: bigint | undefined;

  constructor(host: ConnectionHost, transport: Transport, idleTimeoutMs: number) {
    this.host = host;
    this.transport = transport;
    this.idleTimeoutMs = idleTimeoutMs;
    this.pull = { frontier: new DeviceFrontier(), inbox: new NotifiedInbox(host.pullLimits) };
  }

  protected abstract writeConnectAck(result: ConnectResult): void;
  protected abstract writePubAck(subSignal: number, messageId: number, outcome: PublishOutcome, ctx: RequestContext): void;
  /** sends a push the device did not ask for (MN, RMN, MP, MRP, FRN, FN; see pushes/) */
  abstract push(push: Push): void;
  /** closes the socket; must lead to onClosed() exactly once */
  protected abstract terminate(reason: string): void;

  /**
   * MN: the user's inbox reached `head`. The notify names the lowest seq the device has not been given
   * (DeviceFrontier), or nothing if it holds `head` already. While a pull of this connection is pending
   * the notify is held: the pull may return the message already. When the last pending pull is answered,
   * one MN goes out if the held heads, or the head a pull reported, lie beyond what the device now holds —
   * a pull that stopped short of the head is so followed by an MN naming the seq after its current.
   * Coalescing only drops notifies a pull made redundant: none is lost.
   * `message`: the entry at `head`, carried by the notify; the pull that follows may be answered from it.
   */
  notify(head: string, message?: MessageDto): void {
    const seq = BigInt(head);
    this.pull.inbox.announced(seq, message);
    if (this.pullsInFlight > 0) this.owe(seq);
    else this.writeOwedNotify(seq);
  }

  private owe(seq: bigint): void {
    if (this.owedNotify === undefined || seq > this.owedNotify) this.owedNotify = seq;
  }

  private writeOwedNotify(seq: bigint): void {
    const named = this.pull.frontier.notifyFor(seq);
    if (named !== undefined) this.push({ kind: 'MN', head: named.toString() });
  }

  /** A message was recalled: content this connection kept for pulls may be stale. */
  recalled(messageId: string, fromUser: string): void {
    this.pull.inbox.forget();
    this.push({ kind: 'RMN', messageId, fromUser });
  }

  touch(): void {
    this.lastSeen = Date.now();
  }

  close(reason: string): void {
    if (this.state === 'closed') return;
    this.host.log.debug({ uid: this.uid, clientId: this.clientId, reason }, 'closing connection');
    this.terminate(reason);
  }

  protected async onConnect(userName: string, password: string, clientId: string): Promise<void> {
    if (this.state !== 'awaiting-connect') {
      this.close('CONNECT sent twice');
      return;
    }
    this.state = 'connecting';
    let result: ConnectResult;
    try {
      result = await this.host.services.sessions.connect({
        userName,
        password,
        clientId,
        node: this.host.node,
        connToken: this.connToken,
        transport: this.transport,
      });
    } catch (err) {
      this.host.log.warn({ err: asFscError(err) }, 'CONNECT failed');
      result = { ok: false, refusal: 'CONNECTION_REFUSED_SERVER_UNAVAILABLE' };
    }
    if ((this.state as ConnectionState) === 'closed') {
      if (result.ok) void this.host.services.sessions.disconnect({ uid: result.uid, clientId, connToken: this.connToken, clearSession: false }).catch(() => {});
      return;
    }
    if (!result.ok) {
      this.writeConnectAck(result);
      this.close(`CONNECT refused: ${result.refusal}`);
      return;
    }
    this.uid = result.uid;
    this.clientId = clientId;
    this.pull.frontier.connected(BigInt(result.msgHead));
    this.state = 'open';
    this.host.attach(this);
    this.writeConnectAck(result);
  }

  protected onPublish(subSignal: number, messageId: number, decode: (handler: PublishHandler<unknown, unknown>) => unknown): void {
    if (this.state !== 'open') {
      this.close(`PUBLISH ${subSignalName(subSignal) ?? subSignal} before CONNECT`);
      return;
    }
    const ctx: RequestContext = { uid: this.uid, clientId: this.clientId, services: this.host.services, conn: this.pull, reports: this.host.reports };
    const handler = PUBLISH_HANDLERS.get(subSignal);
    if (!handler) {
      this.writePubAck(subSignal, messageId, { ok: false, code: ErrorCode.NOT_IMPLEMENTED }, ctx);
      return;
    }
    if (this.inFlight >= this.host.maxInFlight) {
      this.writePubAck(subSignal, messageId, { ok: false, code: ErrorCode.OVER_FREQUENCY }, ctx);
      return;
    }
    let request: unknown;
    try {
      request = decode(handler);
    } catch (err) {
      this.host.log.debug({ err, subSignal }, 'bad PUBLISH body');
      this.writePubAck(subSignal, messageId, { ok: false, code: ErrorCode.INVALID_DATA }, ctx);
      return;
    }
    this.inFlight += 1;
    const isPull = handler.reportedHead !== undefined;
    if (isPull) {
      this.pullsInFlight += 1;
      this.pull.frontier.pulling();
    }
    const run = async () => {
      let outcome: PublishOutcome;
      try {
        outcome = { ok: true, handler, result: await handler.handle(ctx, request) };
      } catch (err) {
        const error = asFscError(err);
        if (error.code === 'SERVER_ERROR') this.host.log.error({ err, subSignal }, 'PUBLISH failed');
        outcome = { ok: false, code: error.protocolCode };
      } finally {
        this.inFlight -= 1;
      }
      if (isPull) this.pullsInFlight -= 1;
      if (this.state !== 'open') return;
      this.writePubAck(subSignal, messageId, outcome, ctx);
      if (isPull) this.afterPull(outcome);
    };
    if (handler.ordered) this.orderedChain = this.orderedChain.then(run);
    else if (isPull) this.pullChain = this.pullChain.then(run);
    else void run();
  }

  /** After a pull's answer: once no pull is pending, MN for what the device is still owed. */
  private afterPull(outcome: PublishOutcome): void {
    if (outcome.ok) this.owe(BigInt(outcome.handler.reportedHead!(outcome.result)));
    if (this.pullsInFlight > 0 || this.owedNotify === undefined) return;
    const owed = this.owedNotify;
    this.owedNotify = undefined;
    this.writeOwedNotify(owed);
  }

  protected async onDisconnect(clearSession: boolean): Promise<void> {
    if (this.state === 'open') {
      try {
        await this.host.services.sessions.disconnect({ uid: this.uid, clientId: this.clientId, connToken: this.connToken, clearSession });
      } catch (err) {
        this.host.log.warn({ err }, 'DISCONNECT not recorded');
      }
    }
    this.close('DISCONNECT');
  }

  /** Subclasses call this once when the socket is gone. */
  protected onClosed(): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (!wasOpen) return;
    this.host.detach(this);
    this.host.services.sessions
      .disconnect({ uid: this.uid, clientId: this.clientId, connToken: this.connToken, clearSession: false })
      .catch((err: unknown) => this.host.log.warn({ err }, 'session not unregistered'));
  }
}
