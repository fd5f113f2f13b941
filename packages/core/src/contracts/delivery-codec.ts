import { z } from 'zod';
import type { DeliveryEvent } from './delivery.ts';

/**
 * The version of the delivery events this build writes. Adding an optional field keeps the version (readers
 * ignore fields they do not know); anything an older reader would misread takes a new version, and connectors
 * are upgraded before push-group (README: rolling upgrades). Events without a version were written by fscpush
 * before events had one and read as version 1.
 */
export const DELIVERY_EVENT_VERSION = 1;

export type DeliveryRejection = 'malformed' | 'unknown-kind' | 'unknown-version';

export type DecodedDelivery =
  | { ok: true; event: DeliveryEvent }
  | { ok: false; reason: DeliveryRejection; kind: string; version: number | undefined; detail: string };

const text = z.string();
const seq = z.string().regex(/^\d{1,20}$/);
const ref = z.looseObject({ u: text, c: text });
const refs = z.array(ref);
const message = z.looseObject({
  conversation: z.looseObject({ type: z.number().int(), target: text, line: z.number().int() }),
  fromUser: text,
  content: z.looseObject({ type: z.number().int() }),
  messageId: seq,
  serverTimestamp: z.number(),
  to: z.array(text).optional(),
});

const KINDS = {
  mn: z.looseObject({ t: z.literal('mn'), to: z.array(z.looseObject({ u: text, c: text, h: seq })), m: message.optional() }),
  rmn: z.looseObject({ t: z.literal('rmn'), to: refs, mid: seq, from: text }),
  mrp: z.looseObject({ t: z.literal('mrp'), to: refs, k: z.number().int(), r: text, mid: seq }),
  tx: z.looseObject({ t: z.literal('tx'), to: refs, msg: message }),
  frn: z.looseObject({ t: z.literal('frn'), to: refs, v: seq }),
  fn: z.looseObject({ t: z.literal('fn'), to: refs, v: seq }),
  kick: z.looseObject({ t: z.literal('kick'), u: text, c: text, k: text }),
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One delivery event as the bytes of a bus record: JSON with the version under `_v` (`v` is a field of some kinds). */
export function encodeDeliveryEvent(event: DeliveryEvent): Uint8Array {
  return encoder.encode(JSON.stringify({ _v: DELIVERY_EVENT_VERSION, ...event }));
}

/** A bus record's bytes as a delivery event this build understands, or why not (nothing is thrown). */
export function decodeDeliveryEvent(bytes: Uint8Array): DecodedDelivery {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch (err) {
    return { ok: false, reason: 'malformed', kind: '', version: undefined, detail: `not JSON: ${(err as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'malformed', kind: '', version: undefined, detail: 'not a JSON object' };
  const { _v: v, t } = raw as { _v?: unknown; t?: unknown };
  const kind = typeof t === 'string' ? t : '';
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) return { ok: false, reason: 'malformed', kind, version: undefined, detail: 'bad version' };
  const version = v ?? 1;
  if (version > DELIVERY_EVENT_VERSION) return { ok: false, reason: 'unknown-version', kind, version, detail: `version ${version}; this build reads up to ${DELIVERY_EVENT_VERSION}` };
  const schema = Object.hasOwn(KINDS, kind) ? KINDS[kind as keyof typeof KINDS] : undefined;
  if (!schema) return { ok: false, reason: 'unknown-kind', kind, version, detail: `kind ${JSON.stringify(t)}` };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'malformed', kind, version, detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const { _v: _version, ...event } = parsed.data as Record<string, unknown>;
  return { ok: true, event: event as unknown as DeliveryEvent };
}
