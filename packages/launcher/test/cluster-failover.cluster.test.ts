import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { ChatClient } from '@fscpush/testkit';
import { TestCluster, type ServiceProcess } from './cluster-harness.ts';
import { pullAll } from './harness.ts';


/** Sends `count` texts one after another (acks in order); returns the acked ids, stopping quietly on failures. */
async function sendMany(client: ChatClient, target: string, prefix: string, count: number, pauseMs = 0): Promise<{ acked: string[]; failed: number }> {
  const acked: string[] = [];
  let failed = 0;
  for (let i = 0; i < count; i++) {
    try {
      const ack = await client.sendText({ type: 0, target }, `${prefix}${i}`, { timeoutMs: 8000 });
      if (ack.ok) acked.push(ack.messageId!);
      else failed += 1;
    } catch {
      failed += 1;
      break;
    }
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
  return { acked, failed };
}

/** Every acked id is present once, in ack order, among the pulled ids. */
function assertDeliveredInOrder(pulled: string[], acked: string[], label: string): void {
  assert.equal(new Set(pulled).size, pulled.length, `${label}: no duplicates`);
  const position = new Map(pulled.map((id, i) => [id, i]));
  let last = -1;
  for (const id of acked) {
    const at = position.get(id);
    assert.ok(at !== undefined, `${label}: acked message ${id} delivered`);
    assert.ok(at > last, `${label}: order kept`);
    last = at;
  }
}

describe('cluster failures: nothing acknowledged is lost, nothing is duplicated, order holds', () => {
  const cluster = new TestCluster();
  let groups: ServiceProcess[];
  let connectors: ServiceProcess[];

  before(async () => {
    await cluster.prepare();
    groups = [await cluster.start('push-group'), await cluster.start('push-group')];
    connectors = [await cluster.start('push-connector'), await cluster.start('push-connector')];
  });
  after(() => cluster.stop());

  test('kill -9 of a connector: its clients reconnect to the other connector and miss nothing', async () => {
    const alice = await cluster.login(groups[0]!, '13100011001', 'alice-k');
    const bob = await cluster.login(groups[1]!, '13100011002', 'bob-k');
    const victim = await cluster.start('push-connector');
    const a = await cluster.connect(victim, 'tcp', alice);
    const b = await cluster.connect(connectors[1]!, 'ws', bob);
    const bStart = await pullAll(b, '0');

    const sending = sendMany(a, bob.userId, 'k', 400);
    await new Promise((r) => setTimeout(r, 300));
    await victim.kill('SIGKILL');
    const { acked } = await sending;
    assert.ok(acked.length > 0, 'some messages were acked before the kill');

    // bob keeps talking to alice while she is away
    const whileAway = await sendMany(b, alice.userId, 'w', 10);
    assert.equal(whileAway.acked.length, 10);

    const back = await cluster.connect(connectors[0]!, 'tcp', alice);
    const aliceInbox = await pullAll(back, '0');
    assertDeliveredInOrder(aliceInbox.messages.map((m) => m.messageId), whileAway.acked, 'alice after reconnect');
    const bobInbox = await pullAll(b, bStart.cursor);
    assertDeliveredInOrder(bobInbox.messages.map((m) => m.messageId), acked, 'bob');

    const live = await b.sendText({ type: 0, target: alice.userId }, 'welcome back');
    await back.waitForNotify(15_000);
    const latest = await pullAll(back, aliceInbox.cursor);
    assert.deepEqual(latest.messages.map((m) => m.messageId), [live.messageId]);
  });

  test('kill -9 of a push-group mid-traffic: calls fail over to the other one, nothing acked is lost', async () => {
    const carol = await cluster.login(groups[0]!, '13100011003', 'carol-k');
    const dave = await cluster.login(groups[0]!, '13100011004', 'dave-k');
    const extra = await cluster.start('push-group');
    const c = await cluster.connect(connectors[0]!, 'ws', carol);
    const d = await cluster.connect(connectors[1]!, 'tcp', dave);
    const dStart = await pullAll(d, '0');

    const sending = sendMany(c, dave.userId, 'g', 300, 5);
    await new Promise((r) => setTimeout(r, 500));
    await extra.kill('SIGKILL');
    const first = await sending;
    const second = await sendMany(c, dave.userId, 'h', 30);
    assert.equal(second.acked.length, 30, 'sending works after the push-group died');

    const inbox = await pullAll(d, dStart.cursor);
    const ids = inbox.messages.map((m) => m.messageId);
    assertDeliveredInOrder(ids, [...first.acked, ...second.acked], 'dave');
  });

  test('a paused service whose ZooKeeper session expired registers again and serves', async () => {
    const frozen = await cluster.start('push-group');
    const registered = () => messageProviders(cluster.id).some((url) => url.includes(`node=${frozen.node}&`) || url.endsWith(`node=${frozen.node}`));
    assert.ok(registered(), 'registered after start');
    frozen.proc.kill('SIGSTOP');
    assert.ok(await eventually(() => !registered(), 20_000), 'its ephemeral registration vanished with the expired session');
    frozen.proc.kill('SIGCONT');
    assert.ok(await eventually(registered, 30_000), 'registered again under a new session');
    const erin = await cluster.login(frozen, '13100011005', 'erin-k');
    const e = await cluster.connect(connectors[0]!, 'tcp', erin);
    assert.equal((await e.sendText({ type: 0, target: erin.userId }, 'note to self')).ok, true);
  });

  test('a connector joining under load takes connections at once', async () => {
    const frank = await cluster.login(groups[1]!, '13100011006', 'frank-k');
    const gina = await cluster.login(groups[1]!, '13100011007', 'gina-k');
    const f = await cluster.connect(connectors[0]!, 'tcp', frank);
    const load = sendMany(f, gina.userId, 'l', 200, 10);
    const joined = await cluster.start('push-connector');
    const g = await cluster.connect(joined, 'ws', gina);
    const { acked } = await load;
    await new Promise((r) => setTimeout(r, 500));
    const inbox = await pullAll(g, '0');
    assertDeliveredInOrder(inbox.messages.map((m) => m.messageId), acked, 'gina on the new connector');
    const live = await f.sendText({ type: 0, target: gina.userId }, 'on the new one');
    await g.waitForNotify(15_000);
    const next = await pullAll(g, inbox.cursor);
    assert.deepEqual(next.messages.map((m) => m.messageId), [live.messageId]);
  });

  test('a Kafka broker restart: messages keep being stored and acked, and notifications resume', async () => {
    const hank = await cluster.login(groups[0]!, '13100011008', 'hank-k');
    const ivy = await cluster.login(groups[0]!, '13100011009', 'ivy-k');
    const h = await cluster.connect(connectors[0]!, 'tcp', hank);
    const i = await cluster.connect(connectors[1]!, 'ws', ivy);
    const start = await pullAll(i, '0');
    const before = await sendMany(h, ivy.userId, 'b', 5);
    const restart = spawnSync('scripts/devstack', ['restart', 'kafka'], { encoding: 'utf8', timeout: 180_000 });
    assert.equal(restart.status, 0, restart.stderr);
    const during = await sendMany(h, ivy.userId, 'r', 5);
    assert.equal(during.acked.length, 5, 'sends are acked: the store, not the bus, decides');
    let notified = false;
    const deadline = Date.now() + 60_000;
    while (!notified && Date.now() < deadline) {
      await h.sendText({ type: 0, target: ivy.userId }, 'ping');
      notified = await i.waitForNotify(3000).then(() => true, () => false);
    }
    assert.ok(notified, 'notifications resume after the broker is back');
    const inbox = await pullAll(i, start.cursor);
    assertDeliveredInOrder(inbox.messages.map((m) => m.messageId), [...before.acked, ...during.acked], 'ivy');
  });
});

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return check();
}

/** MessageService provider URLs in the cluster's ZooKeeper chroot, read by a separate raw client. */
function messageProviders(chroot: string): string[] {
  const script = `
    const zk = require('node-zookeeper-client');
    const c = zk.createClient(process.env.FSCPUSH_ZK_CONNECT + '/${chroot}');
    c.once('connected', () => c.getChildren('/dubbo/com.comsince.github.MessageService/providers', (err, kids) => {
      console.log(JSON.stringify(err ? [] : kids.map(decodeURIComponent)));
      c.close();
    }));
    c.connect();`;
  const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
  return JSON.parse(out.stdout || '[]') as string[];
}
