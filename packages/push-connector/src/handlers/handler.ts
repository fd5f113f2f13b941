import { FscError } from '@fscpush/core';
import type { JsonValue } from '@fscpush/protocol';
import type { ConnectorServices } from '../services.ts';
import type { DeliveryReports } from '../delivery-reports.ts';
import type { NotifiedInbox } from '../notified-inbox.ts';

export interface RequestContext {
  uid: string;
  clientId: string;
  services: ConnectorServices;
  conn: PullState;
  /** receipts of pulls this connector answers itself */
  reports: DeliveryReports;
}

/** What one connection remembers between pulls. */
export interface PullState {
  /** highest inbox seq this connection has been sent; undefined until its first pull */
  deliveredUpTo: bigint | undefined;
  /** announced entries not yet pulled, for pulls answered here */
  inbox: NotifiedInbox;
}

/**
 * One PUBLISH sub-signal: how each transport decodes the request and encodes the PUB_ACK result.
 * Decoding failures become INVALID_DATA; service errors become their protocol code.
 */
export interface PublishHandler<Req, Res> {
  /** handled in arrival order per connection (sends and recalls must not overtake each other) */
  readonly ordered?: boolean;
  fromTcp(body: Buffer): Req;
  fromWs(content: JsonValue | null): Req;
  handle(ctx: RequestContext, req: Req): Promise<Res>;
  toTcp(res: Res): Uint8Array;
  toWs(res: Res, ctx: RequestContext): string | object;
  /** a notify to send after the reply, e.g. when a pull left messages behind: the inbox seq to announce */
  followUpNotify?(res: Res, transport: 'tcp' | 'ws'): string | undefined;
  /**
   * Pulls: while one is in flight, MN for this connection is held back (the pull may already return the
   * message); afterwards it is sent only if the new head lies beyond what the pull covered (this seq).
   */
  coveredSeq?(res: Res): string;
}

export function defineHandler<Req, Res>(handler: PublishHandler<Req, Res>): PublishHandler<unknown, unknown> {
  return handler as PublishHandler<unknown, unknown>;
}

export function isObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalid(message: string): FscError {
  return new FscError('INVALID_DATA', message);
}

export function idList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalid(`${what} must be an array of ids`);
  return value as string[];
}
