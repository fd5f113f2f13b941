import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DELIVERY_EVENT_VERSION, decodeDeliveryEvent, encodeDeliveryEvent, type DeliveryEvent } from '../src/index.ts';
import { EVENTS } from './delivery-events.ts';

// Every kind of the contract has a golden event (tsc fails here when a kind is added without one).
type Uncovered = Exclude<DeliveryEvent['t'], (typeof EVENTS)[keyof typeof EVENTS]['t']>;
const everyKindCovered: [Uncovered] extends [never] ? true : Uncovered = true;
void everyKindCovered;

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/delivery-events/${name}.json`, import.meta.url));
const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

test('each kind encodes to its golden bytes (version 1) and decodes back to the same event', () => {
  assert.equal(DELIVERY_EVENT_VERSION, 1);
  for (const [name, event] of Object.entries(EVENTS)) {
    assert.deepEqual(Buffer.from(encodeDeliveryEvent(event)), fixture(`v1-${name}`), `${name}: encoding changed; a change an older connector would misread needs a new version`);
    assert.deepEqual(decodeDeliveryEvent(fixture(`v1-${name}`)), { ok: true, event }, name);
  }
});

test('rolling upgrade: events of the build before versions (no "_v") and of this build read the same', () => {
  for (const [name, event] of Object.entries(EVENTS)) {
    const old = decodeDeliveryEvent(fixture(`unversioned-${name}`));
    const current = decodeDeliveryEvent(encodeDeliveryEvent(event));
    assert.deepEqual(old, current, name);
    assert.deepEqual(old, { ok: true, event }, name);
  }
});

test('a field added by a newer build of the same version is carried, not refused', () => {
  const decoded = decodeDeliveryEvent(bytes({ _v: 1, ...EVENTS.rmn, why: 'recalled by admin' }));
  assert.equal(decoded.ok, true);
  assert.equal(decoded.ok && decoded.event.t, 'rmn');
});

test('what this build cannot read is refused with its reason, kind and version', () => {
  const cases: [unknown, string, string, number | undefined][] = [
    [{ _v: 2, ...EVENTS.mn }, 'unknown-version', 'mn', 2],
    [{ _v: 1, t: 'presence', to: [] }, 'unknown-kind', 'presence', 1],
    [{ t: 'presence', to: [] }, 'unknown-kind', 'presence', 1],
    ['{"_v":1,"t":"mn","to":[', 'malformed', '', undefined],
    [[EVENTS.mn], 'malformed', '', undefined],
    [null, 'malformed', '', undefined],
    [{ _v: '1', ...EVENTS.fn }, 'malformed', 'fn', undefined],
    [{ _v: 0, ...EVENTS.fn }, 'malformed', 'fn', undefined],
    [{ _v: 1, t: 'mn' }, 'malformed', 'mn', 1],
    [{ _v: 1, t: 'mn', to: [{ u: 'u-bob', c: 'bob-phone', h: '12x' }] }, 'malformed', 'mn', 1],
    [{ _v: 1, ...EVENTS.mn, m: { ...EVENTS.mn.m, messageId: 590112345678901248 } }, 'malformed', 'mn', 1],
    [{ _v: 1, t: 'kick', u: 'u-bob', c: 'bob-phone' }, 'malformed', 'kick', 1],
    [{ _v: 1, t: 'mrp', to: [{ u: 'u-alice', c: 'alice-phone' }], k: 0.5, r: 'u-bob', mid: '1' }, 'malformed', 'mrp', 1],
  ];
  for (const [input, reason, kind, version] of cases) {
    const decoded = decodeDeliveryEvent(bytes(input));
    assert.equal(decoded.ok, false, JSON.stringify(input));
    if (decoded.ok) continue;
    assert.deepEqual([decoded.reason, decoded.kind, decoded.version], [reason, kind, version], JSON.stringify(input));
    assert.ok(decoded.detail.length > 0);
  }
});
