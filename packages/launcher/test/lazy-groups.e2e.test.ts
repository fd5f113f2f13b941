import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Proto } from '@fscpush/protocol';
import { TcpImClient, type ChatClient } from '@fscpush/testkit';
import { TestServer, pullAll, type LoggedIn } from './harness.ts';
import { GroupDevice } from './group-client.ts';

const GROUP = 1;
const LAZY_ABOVE = 3;
const GROUP_KICK = 106;
const GROUP_ADD = 105;

describe('lazy groups: stored once, inboxes filled for online members at once and for the others when they come', () => {
  let t: TestServer;
  let db: DatabaseSync;
  let mobiles = 0;

  before(async () => {
    t = await TestServer.start({ overrides: { 'group.lazy.members': LAZY_ABOVE, 'message.pull.max.count': 50 } });
    db = new DatabaseSync(join(t.dataDir, 'fscpush.sqlite'), { readOnly: true });
  });
  after(async () => {
    db.close();
    await t.stop();
  });

  async function login(): Promise<LoggedIn> {
    mobiles += 1;
    return t.login(`1570000${String(mobiles).padStart(4, '0')}`, `lazy-${mobiles}`);
  }

  async function online(who: LoggedIn, transport: 'tcp' | 'ws'): Promise<GroupDevice> {
    return new GroupDevice(await t.connect(transport, who), who.userId);
  }

  function inboxRows(uid: string): number {
    return Number((db.prepare('select count(*) as n from inbox where uid = ?').get(uid) as { n: number }).n);
  }

  const texts = (messages: { text: string }[]): string[] => messages.map((m) => m.text);

  test('an offline member takes the whole backlog, in order, when it connects; nothing was written for it before', async () => {
    const owner = await online(await login(), 'tcp');
    const reader = await online(await login(), 'ws');
    const away = await login();
    const gone = await login();
    const gid = await owner.create('big', [reader.uid, away.userId, gone.userId]);
    await reader.news();
    const base = inboxRows(away.userId);

    const sent: string[] = [];
    for (let i = 0; i < 1100; i++) {
      const from = i % 5 === 4 ? reader : owner;
      const text = `b${i}`;
      assert.equal((await from.sendText(gid, text)).ok, true);
      sent.push(text);
    }
    assert.equal(inboxRows(away.userId), base, 'an offline member has no inbox rows written at send time');
    assert.equal(inboxRows(reader.uid) > 1000, true, 'an online member has its rows at once');

    const device = await t.connect('tcp', away);
    const { messages } = await pullAll(device, '0');
    assert.deepEqual(texts(messages).filter((x) => x.startsWith('b')), sent, 'every message once, in send order (more than one catch-up chunk)');
    assert.equal(messages[0]!.text, '', 'the create notice comes first');
  });

  test('messages to some members only reach them, and the sender, also after a catch-up', async () => {
    const owner = await online(await login(), 'tcp');
    const watcher = await online(await login(), 'ws');
    const chosen = await login();
    const other = await login();
    const gid = await owner.create('targets', [watcher.uid, chosen.userId, other.userId]);
    await watcher.news();

    const body = Proto.Message.encode({
      conversation: { type: GROUP, target: gid, line: 0 },
      fromUser: owner.uid,
      content: { type: 1, searchableContent: 'just for you' },
      to: [chosen.userId],
    });
    const ack = await (owner.client as TcpImClient).request('MS', body);
    assert.equal(ack.errorCode, 0);
    assert.equal((await owner.sendText(gid, 'for all')).ok, true);

    assert.deepEqual(texts(await watcherNews(watcher)), ['for all']);
    const chosenTexts = texts((await pullAll(await t.connect('ws', chosen), '0')).messages);
    assert.deepEqual(chosenTexts.slice(-2), ['just for you', 'for all']);
    const otherTexts = texts((await pullAll(await t.connect('tcp', other), '0')).messages);
    assert.deepEqual(otherTexts.slice(-1), ['for all']);
    assert.equal(otherTexts.includes('just for you'), false);
  });

  test('a member removed while away gets what was sent until the removal; re-added, what was sent after', async () => {
    const owner = await online(await login(), 'ws');
    const a = await login();
    const b = await login();
    const away = await login();
    const gid = await owner.create('moves', [a.userId, b.userId, away.userId]);

    assert.equal((await owner.sendText(gid, 'before')).ok, true);
    assert.equal((await owner.kick(gid, [away.userId])).ok, true);
    assert.equal((await owner.sendText(gid, 'while out')).ok, true);
    assert.equal((await owner.add(gid, [away.userId])).ok, true);
    assert.equal((await owner.sendText(gid, 'after')).ok, true);

    const device = new GroupDevice(await t.connect('tcp', away), away.userId);
    const news = await device.news();
    const seen = news.map((m) => (m.content.type === 1 ? m.content.searchableContent : m.content.type));
    assert.deepEqual(seen.slice(1), ['before', GROUP_KICK, GROUP_ADD, 'after'], 'after the create notice');
  });

  test('a group that grows past the threshold turns lazy: messages before and after reach an away member in order', async () => {
    const owner = await online(await login(), 'tcp');
    const a = await login();
    const away = await login();
    const gid = await owner.create('grows', [a.userId, away.userId]);
    assert.equal((await owner.sendText(gid, 'eager')).ok, true);
    assert.equal(inboxRows(away.userId) >= 2, true, 'a small group writes every inbox at send time');
    const rowsBefore = inboxRows(away.userId);

    const late = await login();
    assert.equal((await owner.add(gid, [late.userId])).ok, true);
    assert.equal((await owner.sendText(gid, 'lazy')).ok, true);
    assert.equal(inboxRows(away.userId), rowsBefore, 'now lazy: nothing written for the away member');

    const device = new GroupDevice(await t.connect('ws', away), away.userId);
    const seen = (await device.news()).map((m) => (m.content.type === 1 ? m.content.searchableContent : m.content.type));
    assert.deepEqual(seen.slice(1), ['eager', GROUP_ADD, 'lazy']);
    const lateSeen = (await new GroupDevice(await t.connect('tcp', late), late.userId).news()).map((m) => (m.content.type === 1 ? m.content.searchableContent : m.content.type));
    assert.deepEqual(lateSeen, [GROUP_ADD, 'lazy'], 'a new member gets its own joining notice and what was sent after');
  });

  test('members connecting while messages flow miss none: each is taken at connect, by a pull, or announced', async () => {
    const owner = await online(await login(), 'tcp');
    const comers = [await login(), await login(), await login(), await login()];
    const gid = await owner.create('flow', comers.map((c) => c.userId));
    const total = 300;
    const sending = (async () => {
      for (let i = 0; i < total; i++) assert.equal((await owner.sendText(gid, `f${i}`)).ok, true);
    })();
    const followers = comers.map(async (who, n) => {
      await new Promise((resolve) => setTimeout(resolve, 20 + n * 40));
      const device = await t.connect(n % 2 === 0 ? 'ws' : 'tcp', who);
      return follow(device, total);
    });
    await sending;
    for (const seen of await Promise.all(followers)) {
      assert.deepEqual(seen, Array.from({ length: total }, (_, i) => `f${i}`));
    }
  });

  /** Pulls from 0, then follows MN pushes until `total` texts arrived; a missed announcement times out. */
  async function follow(device: ChatClient, total: number): Promise<string[]> {
    let { messages, cursor } = await pullAll(device, '0');
    const seen = texts(messages).filter((x) => x.startsWith('f'));
    while (seen.length < total) {
      await device.waitForNotify(5000);
      const page = await pullAll(device, cursor);
      cursor = page.cursor;
      seen.push(...texts(page.messages));
    }
    return seen;
  }

  async function watcherNews(device: GroupDevice) {
    return (await device.news()).map((m) => ({ text: m.content.searchableContent }));
  }
});
