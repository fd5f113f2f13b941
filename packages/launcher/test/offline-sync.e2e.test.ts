import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, pullAll, type LoggedIn } from './harness.ts';

const PRIVATE = 0;

describe('offline devices get every message, in order, without duplicates', () => {
  let t: TestServer;
  let alice: LoggedIn;
  let bobPhone: LoggedIn;
  let bobWeb: LoggedIn;

  before(async () => {
    // a small pull page forces several pulls, as a month of backlog would
    t = await TestServer.start({ overrides: { 'message.pull.max.count': 25 } });
    alice = await t.login('13800002001', 'alice-phone');
    bobPhone = await t.login('13800002002', 'bob-phone');
    bobWeb = await t.login('13800002002', 'bob-web');
  });
  after(() => t.stop());

  test('a TCP device that was offline pulls the whole backlog by cursor', async () => {
    const phone = await t.connect('tcp', bobPhone);
    const start = await pullAll(phone, '0');
    await phone.close();

    const sender = await t.connect('ws', alice);
    const sentIds: string[] = [];
    for (let i = 0; i < 130; i++) {
      const ack = await sender.sendText({ type: PRIVATE, target: bobPhone.userId }, `m${i}`);
      assert.equal(ack.ok, true);
      sentIds.push(ack.messageId!);
    }

    const back = await t.connect('tcp', bobPhone);
    const { messages } = await pullAll(back, start.cursor);
    assert.deepEqual(messages.map((m) => m.messageId), sentIds);
    assert.deepEqual(messages.map((m) => m.text), sentIds.map((_, i) => `m${i}`));
  });

  test('the web client (pullType 0 after connect, MN-driven pulls after) receives the backlog exactly once', async () => {
    const web = await t.connect('ws', bobWeb);
    const baseline = await pullAll(web, '0');
    await web.close();

    const sender = await t.connect('tcp', alice);
    const texts: string[] = [];
    for (let i = 0; i < 60; i++) {
      texts.push(`w${i}`);
      assert.equal((await sender.sendText({ type: PRIVATE, target: bobWeb.userId }, `w${i}`)).ok, true);
    }

    // reconnect like vue-chat: MP pullType 0 with the stored cursor, then follow MN pushes with pullType 1
    const back = await t.connect('ws', bobWeb);
    const seen: string[] = [];
    const first = await back.pull(baseline.cursor, 0);
    seen.push(...first.messages.map((m) => m.content.searchableContent));
    while (seen.length < texts.length) {
      const notify = await back.waitForNotify(3000);
      const page = await back.pull(notify.head, 1);
      seen.push(...page.messages.map((m) => m.content.searchableContent));
    }
    assert.deepEqual(seen, texts);

    const live = await sender.sendText({ type: PRIVATE, target: bobWeb.userId }, 'live');
    const notify = await back.waitForNotify(3000);
    const page = await back.pull(notify.head, 1);
    assert.deepEqual(page.messages.map((m) => m.messageId), [live.messageId], 'no duplicate of the backlog');
  });

  test('a device does not pull its own sends back, other devices of the same user do', async () => {
    const phone = await t.connect('tcp', bobPhone);
    const web = await t.connect('ws', bobWeb);
    const phoneStart = await pullAll(phone, '0');
    const webStart = await pullAll(web, '0');

    const own = await web.sendText({ type: PRIVATE, target: alice.userId }, 'from bob web');
    await phone.waitForNotify();
    const phoneNew = await pullAll(phone, phoneStart.cursor);
    assert.deepEqual(phoneNew.messages.map((m) => m.messageId), [own.messageId]);
    const webNew = await pullAll(web, webStart.cursor);
    assert.deepEqual(webNew.messages, [], 'the sending device already holds its message');
    assert.ok(BigInt(webNew.cursor) > BigInt(webStart.cursor), 'but its cursor moves past it');
  });
});
