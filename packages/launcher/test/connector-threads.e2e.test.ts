import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { Proto } from '@fscpush/protocol';
import type { TcpImClient } from '@fscpush/testkit';
import { TestServer, type LoggedIn } from './harness.ts';

const THREADS = 3;
const USERS = 36;

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe(`the all-in-one server with ${THREADS} connector threads on one pair of ports`, () => {
  let t: TestServer;

  before(async () => {
    t = await TestServer.start({ overrides: { 'embedded.connector.thread': 'true', 'embedded.connector.threads': THREADS } });
  });
  after(() => t.stop());

  test('devices on every thread talk to each other; connections and deliveries are counted across threads', async () => {
    const users: LoggedIn[] = [];
    for (let i = 0; i < USERS; i++) users.push(await t.login(`1370000${String(1000 + i)}`, `ct-${i}`));
    // the kernel spreads connections over the threads' listeners: with 36 devices each thread gets some
    const devices = await Promise.all(users.map((u, i) => t.connect(i % 2 === 0 ? 'tcp' : 'ws', u)));
    for (let i = 0; i < USERS; i++) {
      const sent = await devices[i]!.sendText({ type: 0, target: users[(i + 1) % USERS]!.userId }, `to ${i + 1}`);
      assert.equal(sent.ok, true);
    }
    for (let i = 0; i < USERS; i++) {
      const receiver = devices[(i + 1) % USERS]!;
      const notify = await receiver.waitForNotify();
      const pulled = await receiver.pull(BigInt(notify.head) - 1n, 0);
      assert.deepEqual(pulled.messages.map((m) => [m.from, m.content.searchableContent]), [[users[i]!.userId, `to ${i + 1}`]]);
    }

    const base = `http://127.0.0.1:${t.server.ports.management}`;
    const text = await (await fetch(`${base}/metrics`)).text();
    const open = (sample(text, 'fscpush_connections{transport="tcp",state="open",service="all"}') ?? 0) + (sample(text, 'fscpush_connections{transport="ws",state="open",service="all"}') ?? 0);
    assert.equal(open, USERS, 'one count over all threads');
    const nodes = ['embedded-0', ...Array.from({ length: THREADS - 1 }, (_, i) => `embedded-0-${i + 1}`)];
    for (const node of nodes) {
      const consumed = sample(text, `fscpush_bus_consumed_records_total{topic="fscpush.deliver.${node}",service="all"}`) ?? 0;
      assert.ok(consumed > 0, `connector thread ${node} delivered nothing: ${consumed}`);
    }
  });

  test("FRP, FP and UPUI are answered by the client-reads thread, beside push-group's thread", async () => {
    const alice = await t.login('13700003000', 'cr-alice');
    const bob = await t.login('13700003001', 'cr-bob');
    const a = (await t.connect('tcp', alice)) as TcpImClient;
    const b = (await t.connect('tcp', bob)) as TcpImClient;
    const far = await a.request('FAR', Proto.AddFriendRequest.encode({ targetUid: bob.userId, reason: 'hi bob' }));
    assert.equal(far.errorCode, 0);
    const requests = Proto.GetFriendRequestResult.decode((await b.request('FRP', Proto.Version.encode({ version: 0 }))).body).entry;
    assert.deepEqual(requests.map((r) => [r.fromUid, r.toUid, r.reason]), [[alice.userId, bob.userId, 'hi bob']], 'the request committed by push-group is read at once');
    const handled = await b.request('FHR', Proto.HandleFriendRequest.encode({ targetUid: alice.userId, status: 0 }));
    assert.equal(handled.errorCode, 0);
    const friends = Proto.GetFriendsResult.decode((await a.request('FP', Proto.Version.encode({ version: 0 }))).body).entry;
    assert.deepEqual(friends.map((f) => f.uid), [bob.userId]);
    const profiles = Proto.PullUserResult.decode((await a.request('UPUI', Proto.PullUserRequest.encode({ request: [{ uid: bob.userId }] }))).body).result;
    assert.deepEqual(profiles.map((p) => p.user?.uid), [bob.userId]);

    const text = await (await fetch(`http://127.0.0.1:${t.server.ports.management}/metrics`)).text();
    const served = (service: string, method: string) => text.includes(`fscpush_rpc_server_duration_seconds_count{service="${service}",method="${method}",outcome="ok"`);
    assert.ok(served('fscpush.FriendService', 'request') && served('fscpush.FriendService', 'handle'), 'writes are push-group\'s');
    for (const [service, method] of [['fscpush.FriendService', 'requests'], ['fscpush.FriendService', 'list'], ['fscpush.UserService', 'getMany']] as const) {
      assert.ok(!served(service, method), `${service}.${method} reached push-group's thread`);
    }
  });

  test('a device reconnecting with its client id replaces its older connection, whichever thread holds it', async () => {
    const who = await t.login('13700002000', 'ct-again');
    const sender = await t.login('13700002001', 'ct-sender');
    const from = await t.connect('tcp', sender);
    let older = await t.connect('tcp', who);
    for (let i = 0; i < 8; i++) {
      const again = await t.connect(i % 2 === 0 ? 'ws' : 'tcp', who);
      await older.closed;
      const sent = await from.sendText({ type: 0, target: who.userId }, `again ${i}`);
      assert.equal(sent.ok, true);
      const notify = await again.waitForNotify();
      const pulled = await again.pull(BigInt(notify.head) - 1n, 0);
      assert.deepEqual(pulled.messages.map((m) => m.content.searchableContent), [`again ${i}`]);
      older = again;
    }
  });
});

describe('connector threads and a port in use', () => {
  let occupant: Server;
  let port: number;

  before(async () => {
    // another server of this user sharing the port by SO_REUSEPORT, as a second fscpush would
    occupant = createServer();
    await new Promise<void>((resolve) => occupant.listen({ port: 0, host: '127.0.0.1', reusePort: true }, resolve));
    port = (occupant.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => occupant.close(() => resolve())));

  test('the server refuses to start, naming the key, instead of sharing the port', async () => {
    await assert.rejects(
      TestServer.start({ overrides: { 'embedded.connector.thread': 'true', 'embedded.connector.threads': 2, 'push.tcp.port': port } }),
      (err: Error & { code?: string }) => err.code === 'CONFIG_INVALID' && err.message.includes(`push.tcp.port: 127.0.0.1:${port} is already in use`),
    );
  });
});
