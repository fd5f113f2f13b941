import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatClient } from '@fscpush/testkit';
import { TestServer, pullAll, type LoggedIn } from './harness.ts';

const PRIVATE = 0;
const BACKLOG = 100_000;
const SENDERS = 4;
const LIVE = 1_500;

/**
 * The clients' own pull disciplines, and nothing more: the Android app pulls from its stored seq on
 * connect and from `head - 1` of each MN; the web client pulls from its stored seq on connect (pullType 0)
 * and "seq >= head" of each MN (pullType 1). Neither pulls again because `current < head`. Both keep
 * messages by id, as the apps' stores do; returns the texts in the order first received, and how many
 * backlog messages arrived more than once.
 */
async function catchUp(device: ChatClient, done: (texts: string[]) => boolean): Promise<{ texts: string[]; repeats: number }> {
  const texts: string[] = [];
  const ids = new Set<string>();
  let repeats = 0;
  const take = async (cursor: bigint | string, pullType: number) => {
    const result = await device.pull(cursor, pullType, { timeoutMs: 30_000 });
    assert.equal(result.ok, true);
    for (const m of result.messages) {
      if (ids.has(m.messageId)) repeats += m.content.searchableContent.startsWith('live|') ? 0 : 1;
      else texts.push(m.content.searchableContent);
      ids.add(m.messageId);
    }
  };
  await take('0', 0);
  while (!done(texts)) {
    const notify = await device.waitForNotify(15_000);
    if (device.transport === 'tcp') await take(BigInt(notify.head) - 1n, 0);
    else await take(notify.head, 1);
  }
  return { texts, repeats };
}

async function sendAll(client: ChatClient, target: string, prefix: string, count: number, inFlight: number, gapMs = 0): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      const sent = await client.sendText({ type: PRIVATE, target }, `${prefix}|${n}`, { timeoutMs: 60_000 });
      assert.equal(sent.ok, true, `send ${prefix}|${n}`);
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Every sender's messages, each exactly once and in the order it sent them. */
function assertComplete(texts: string[], expected: Map<string, number>, what: string): void {
  const seen = new Map<string, number>();
  for (const text of texts) {
    const [prefix, n] = text.split('|') as [string, string];
    const last = seen.get(prefix) ?? -1;
    assert.equal(Number(n), last + 1, `${what}: ${prefix} message ${n} after ${last} (nothing missing, twice or out of order)`);
    seen.set(prefix, Number(n));
  }
  assert.deepEqual(Object.fromEntries([...seen].map(([p, last]) => [p, last + 1])), Object.fromEntries(expected), `${what}: every message`);
}

describe('a device with a 100,000-message backlog gets all of it through its client\'s own pull discipline', () => {
  let t: TestServer;
  let receiverTcp: LoggedIn;
  let receiverWs: LoggedIn;
  const expected = new Map<string, number>();

  before(async () => {
    t = await TestServer.start();
    receiverTcp = await t.login('13700000001', 'receiver-android');
    receiverWs = await t.login('13700000001', 'receiver-web');
    const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => t.login(`1370000010${i}`, `sender-${i}`)));
    const clients = await Promise.all(senders.map((s) => t.connect('tcp', s)));
    await Promise.all(clients.map((c, i) => sendAll(c, receiverTcp.userId, `s${i}`, BACKLOG / SENDERS, 48)));
    for (let i = 0; i < SENDERS; i++) expected.set(`s${i}`, BACKLOG / SENDERS);
    expected.set('live', LIVE);
  });
  after(() => t.stop());

  test('the Android app and the web client catch up while new messages keep arriving', async () => {
    const live = await t.connect('ws', await t.login('13700000200', 'live-sender'));
    const android = await t.connect('tcp', receiverTcp);
    const web = await t.connect('ws', receiverWs);
    const total = BACKLOG + LIVE;
    const liveSending = sendAll(live, receiverTcp.userId, 'live', LIVE, 4, 5);
    const [androidGot, webGot] = await Promise.all([
      catchUp(android, (texts) => texts.length >= total),
      catchUp(web, (texts) => texts.length >= total),
      liveSending,
    ]);
    assertComplete(androidGot.texts, expected, 'Android app');
    assertComplete(webGot.texts, expected, 'web client');
    const stored = (await pullAll(android, '0')).messages.map((m) => m.text);
    assert.equal(stored.length, total);
    // a page pulled after newer messages had already reached the device may bring those again (the apps
    // keep messages by id); the backlog itself comes once
    for (const got of [androidGot, webGot]) assert.equal(got.repeats, 0, 'no backlog message came twice');
  });
});
