import { FscError } from '@fscpush/core';
import type { JsonValue } from '@fscpush/protocol';
import type { ConnectorServices } from '../services.ts';
import type { DeliveryReports } from '../delivery-reports.ts';
import type { NotifiedInbox } from '../notified-inbox.ts';
import type { DeviceFrontier } from '../device-frontier.ts';

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
  /** how far the device holds its inbox: what MN names and where the web client's pull after MN starts */
  frontier: DeviceFrontier;
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
  /**
   * Marks a pull, and reads the inbox head its answer reports. Pulls of one connection are answered one
   * after another; while any is pending MN is held back (the pull may return the message already), and
   * after the last one MN names what the device is still owed (see Connection.notify).
   */
  reportedHead?(res: Res): string;
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
