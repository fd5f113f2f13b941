import type { Int64Like } from './proto/types.ts';
import { ProtocolError } from './protocol-error.ts';

/** CONNECT body (JSON on both transports). */
export interface ConnectRequest {
  userName: string;
  password: string;
  clientIdentifier: string;
}

export function encodeConnectBody(request: ConnectRequest): Buffer {
  const { userName, password, clientIdentifier } = request;
  return Buffer.from(JSON.stringify({ userName, password, clientIdentifier }), 'utf8');
}

/** Accepts the JSON object with string fields; anything else → BODY_INVALID. */
export function decodeConnectBody(body: Uint8Array | string): ConnectRequest {
  const parsed = parseJsonObject(body, 'CONNECT');
  return parseConnectRequest(parsed);
}

export function parseConnectRequest(value: unknown): ConnectRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('BODY_INVALID', 'CONNECT body must be a JSON object');
  }
  const { userName, password, clientIdentifier } = value as Record<string, unknown>;
  if (typeof userName !== 'string' || typeof password !== 'string' || typeof clientIdentifier !== 'string') {
    throw new ProtocolError('BODY_INVALID', 'CONNECT needs string userName, password and clientIdentifier');
  }
  return { userName, password, clientIdentifier };
}

export function encodePingBody(intervalMs: number): Buffer {
  return Buffer.from(JSON.stringify({ interval: intervalMs }), 'utf8');
}

/** The client's requested heartbeat interval in ms, or undefined when the body does not carry one. */
export function decodePingBody(body: Uint8Array): number | undefined {
  try {
    const { interval } = parseJsonObject(body, 'PING') as { interval?: unknown };
    const ms = typeof interval === 'string' ? Number(interval) : interval;
    return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** Text body of the server's PING echo. */
export function pingBackText(intervalMs: number): string {
  return `ping back next interval ${intervalMs}`;
}

export function encodeDisconnectBody(clearSession: boolean): Buffer {
  return Buffer.of(clearSession ? 1 : 0);
}

/** An empty body means "keep the session". */
export function decodeDisconnectBody(body: Uint8Array): boolean {
  return body.byteLength > 0 && body[0] !== 0;
}

export interface PubAckBody {
  errorCode: number;
  payload: Buffer;
}

/** PUB_ACK body parts: the ErrorCode byte then the result (pass to encodeFrame's `body`). */
export function pubAckParts(errorCode: number, payload?: Uint8Array): Uint8Array[] {
  if (!Number.isInteger(errorCode) || errorCode < 0 || errorCode > 0xff) throw new RangeError(`error code ${errorCode} is not a byte`);
  return payload === undefined || payload.byteLength === 0 ? [Uint8Array.of(errorCode)] : [Uint8Array.of(errorCode), payload];
}

export function splitPubAck(body: Uint8Array): PubAckBody {
  if (body.byteLength === 0) throw new ProtocolError('BODY_INVALID', 'PUB_ACK body is empty');
  const buf = asBuffer(body);
  return { errorCode: buf[0]!, payload: buf.subarray(1) };
}

/** MS result after the ErrorCode byte: int64 message id then int64 server timestamp, big-endian. */
export function encodeSendMessageAck(messageId: Int64Like, timestamp: Int64Like): Buffer {
  const out = Buffer.allocUnsafe(16);
  out.writeBigInt64BE(toBigInt(messageId), 0);
  out.writeBigInt64BE(toBigInt(timestamp), 8);
  return out;
}

export function decodeSendMessageAck(payload: Uint8Array): { messageId: string; timestamp: string } {
  if (payload.byteLength < 16) throw new ProtocolError('BODY_INVALID', `MS ack needs 16 bytes, got ${payload.byteLength}`);
  const buf = asBuffer(payload);
  return { messageId: buf.readBigInt64BE(0).toString(), timestamp: buf.readBigInt64BE(8).toString() };
}

/** FRN / FN push bodies: one big-endian int64. */
export function encodeInt64BE(value: Int64Like): Buffer {
  const out = Buffer.allocUnsafe(8);
  out.writeBigInt64BE(toBigInt(value), 0);
  return out;
}

export function decodeInt64BE(body: Uint8Array): string {
  if (body.byteLength < 8) throw new ProtocolError('BODY_INVALID', `int64 body needs 8 bytes, got ${body.byteLength}`);
  return asBuffer(body).readBigInt64BE(0).toString();
}

function toBigInt(value: Int64Like): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  return BigInt(value);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function parseJsonObject(body: Uint8Array | string, what: string): unknown {
  const text = typeof body === 'string' ? body : asBuffer(body).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ProtocolError('BODY_INVALID', `${what} body is not JSON`, { cause: err });
  }
}
