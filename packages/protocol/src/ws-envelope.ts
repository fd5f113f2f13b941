import { parseJsonLossless, stringifyJson } from './json-text.ts';
import type { JsonValue } from './json-text.ts';
import { ProtocolError } from './protocol-error.ts';
import {
  SIGNAL_NAMES, SUB_SIGNAL_NAMES, SubSignal, isSignal, isSubSignal, signalFromName, subSignalFromName,
} from './signals.ts';
import type { Signal, SignalName, SubSignalName } from './signals.ts';

/**
 * WebSocket text envelope `{"signal":"PUBLISH","subSignal":"MS","messageId":81,"content":…}`.
 * Client → server content is a JSON object/array; server → client content is always a string of JSON
 * ("" alone means failure). Signals travel by name, messageId as a JSON number echoed in the PUB_ACK.
 */
export const WS_HEARTBEAT_TEXT = '心跳内容';
export const DEFAULT_WS_MAX_TEXT_BYTES = 1024 * 1024;
const MAX_WS_MESSAGE_ID = 0x7fffffff;

export interface WsInbound {
  signal: Signal;
  subSignal: SubSignal;
  messageId: number;
  /** Object or array; null when absent or "". Integers beyond 2^53 arrive as decimal strings. */
  content: JsonValue | null;
}

export interface WsServerEnvelope {
  signal: Signal;
  subSignal: SubSignal;
  messageId: number;
  content: string;
}

export interface WsOutbound {
  signal: Signal | SignalName;
  subSignal?: SubSignal | SubSignalName;
  messageId?: number;
  /** A string is sent as is; an object/array is serialised to JSON text; null/undefined → "" (failure). */
  content?: string | object | null;
}

/** The web client's keep-alive text, which the server ignores. */
export function isWsHeartbeat(text: string): boolean {
  return text === WS_HEARTBEAT_TEXT || text.trim() === WS_HEARTBEAT_TEXT;
}

export function assertWsTextSize(text: string | Uint8Array, maxBytes = DEFAULT_WS_MAX_TEXT_BYTES): void {
  const size = typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : text.byteLength;
  if (size > maxBytes) throw new ProtocolError('WS_TOO_LARGE', `WebSocket text of ${size} bytes exceeds ${maxBytes}`);
}

/** Server side: parse a client frame. Missing subSignal/messageId default to NONE/0 like the web client's unset fields. */
export function parseWsEnvelope(text: string): WsInbound {
  const raw = parseEnvelopeObject(text);
  return {
    signal: parseSignal(raw.signal),
    subSignal: parseSubSignal(raw.subSignal),
    messageId: parseMessageId(raw.messageId),
    content: parseClientContent(raw.content),
  };
}

/** Client side (testkit): parse a server frame; content must be a string. */
export function parseWsServerEnvelope(text: string): WsServerEnvelope {
  const raw = parseEnvelopeObject(text);
  const content = raw.content ?? '';
  if (typeof content !== 'string') throw bad('content from the server must be a string');
  return {
    signal: parseSignal(raw.signal),
    subSignal: parseSubSignal(raw.subSignal),
    messageId: parseMessageId(raw.messageId),
    content,
  };
}

/** Server → client text; content is always a string. */
export function buildWsEnvelope(out: WsOutbound): string {
  const content = out.content === undefined || out.content === null
    ? ''
    : typeof out.content === 'string' ? out.content : stringifyJson(out.content);
  return envelopeText(out, content);
}

/** Client → server text as the web client sends it: content as a JSON object/array. */
export function buildWsClientEnvelope(out: WsOutbound): string {
  return envelopeText(out, out.content ?? {});
}

function envelopeText(out: WsOutbound, content: unknown): string {
  const messageId = out.messageId ?? 0;
  if (!Number.isInteger(messageId) || messageId < 0 || messageId > MAX_WS_MESSAGE_ID) {
    throw new RangeError(`messageId must be an integer in 0..${MAX_WS_MESSAGE_ID}, got ${messageId}`);
  }
  return stringifyJson({
    signal: nameOf(out.signal, SIGNAL_NAMES, isSignal, signalFromName, 'signal'),
    subSignal: nameOf(out.subSignal ?? SubSignal.NONE, SUB_SIGNAL_NAMES, isSubSignal, subSignalFromName, 'subSignal'),
    messageId,
    content,
  });
}

function nameOf(
  value: number | string,
  names: readonly string[],
  isKnown: (n: number) => boolean,
  fromName: (s: string) => number | undefined,
  field: string,
): string {
  if (typeof value === 'number' && isKnown(value)) return names[value]!;
  if (typeof value === 'string' && fromName(value) !== undefined) return value;
  throw new RangeError(`unknown ${field} ${String(value)}`);
}

function parseEnvelopeObject(text: string): Record<string, unknown> {
  let raw: JsonValue;
  try {
    raw = parseJsonLossless(text);
  } catch (err) {
    throw new ProtocolError('WS_BAD_ENVELOPE', 'WebSocket text is not JSON', { cause: err });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('envelope must be a JSON object');
  return raw;
}

function parseSignal(value: unknown): Signal {
  if (typeof value !== 'string') throw bad('signal must be a name');
  const signal = signalFromName(value);
  if (signal === undefined) throw bad(`unknown signal ${value}`);
  return signal;
}

function parseSubSignal(value: unknown): SubSignal {
  if (value === undefined || value === null) return SubSignal.NONE;
  if (typeof value !== 'string') throw bad('subSignal must be a name');
  const subSignal = subSignalFromName(value);
  if (subSignal === undefined) throw bad(`unknown subSignal ${value}`);
  return subSignal;
}

function parseMessageId(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_WS_MESSAGE_ID) {
    throw bad(`messageId must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseClientContent(value: unknown): JsonValue | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    let inner: JsonValue;
    try {
      inner = parseJsonLossless(value);
    } catch (err) {
      throw new ProtocolError('WS_BAD_ENVELOPE', 'content string is not JSON', { cause: err });
    }
    if (typeof inner !== 'object') throw bad('content must be a JSON object or array');
    return inner;
  }
  if (typeof value !== 'object') throw bad('content must be a JSON object or array');
  return value as JsonValue;
}

function bad(message: string): ProtocolError {
  return new ProtocolError('WS_BAD_ENVELOPE', message);
}
