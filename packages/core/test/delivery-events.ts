import type { DeliveryEvent, MessageDto } from '../src/index.ts';

const message: MessageDto = {
  conversation: { type: 1, target: 'g-7', line: 0 },
  fromUser: 'u-alice',
  content: { type: 1, searchableContent: '你好 👋', mentionedType: 0 },
  messageId: '590112345678901248',
  serverTimestamp: 1796230000123,
};

/** One event of each kind, as push-group builds them (the golden fixtures are their encodings). */
export const EVENTS = {
  mn: { t: 'mn', to: [{ u: 'u-bob', c: 'bob-phone', h: '590112345678901301' }, { u: 'u-carol', c: 'carol-web', h: '12' }], m: message },
  'mn-bare': { t: 'mn', to: [{ u: 'u-bob', c: 'bob-phone', h: '44' }] },
  rmn: { t: 'rmn', to: [{ u: 'u-bob', c: 'bob-phone' }], mid: '590112345678901248', from: 'u-alice' },
  mrp: { t: 'mrp', to: [{ u: 'u-alice', c: 'alice-phone' }], k: 1, r: 'u-bob', mid: '590112345678901248' },
  tx: { t: 'tx', to: [{ u: 'u-bob', c: 'bob-web' }], msg: { ...message, conversation: { type: 0, target: 'u-bob', line: 0 }, content: { type: 91 } } },
  frn: { t: 'frn', to: [{ u: 'u-bob', c: 'bob-phone' }], v: '1796230000999' },
  fn: { t: 'fn', to: [{ u: 'u-bob', c: 'bob-phone' }], v: '17' },
  kick: { t: 'kick', u: 'u-bob', c: 'bob-phone', k: '2f1d5c1e-8a7b-4d3c-9e2f-0a1b2c3d4e5f' },
} satisfies Record<string, DeliveryEvent>;
