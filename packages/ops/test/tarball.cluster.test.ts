import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zookeeper from 'node-zookeeper-client';
import { deriveConnectPassword } from '@fscpush/protocol';
import { TcpImClient, WsImClient, type ChatClient } from '@fscpush/testkit';
import { buildDist } from '../../../scripts/dist.ts';
import { ensureNginx, localizeNginxExample, startNginx, type NginxProcess } from './nginx.ts';
import { UnpackedBoot, freePorts, processesUnder, type BootService } from './unpacked-boot.ts';

const SUPER = '318274';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run with "npm run test:cluster" (it starts scripts/devstack)`);
  return value;
}

async function zkChroot(path: string): Promise<void> {
  const client = zookeeper.createClient(env('FSCPUSH_ZK_CONNECT'), { sessionTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ZooKeeper not reachable')), 10_000);
    client.once('connected', () => {
      clearTimeout(timer);
      client.mkdirp(path, (err) => (err ? reject(err) : resolve()));
    });
    client.connect();
  });
  client.close();
}

/** Sums one metric's samples whose label text contains `labels`. */
async function metric(port: number, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Error lines of the services' logs go to the test output, so a failure in CI can be diagnosed. */
function reportErrors(host: UnpackedBoot): void {
  for (const service of ['push-group', 'push-connector', 'push-api'] as const) {
    const file = join(host.serviceDir(service), 'logs', `${service}.log`);
    if (!existsSync(file)) continue;
    const errors = readFileSync(file, 'utf8').split('\n').filter((l) => /^\{"level":(50|60),/.test(l));
    if (errors.length > 0) process.stderr.write(`${file}: ${errors.length} error lines\n${errors.slice(-5).join('\n')}\n`);
  }
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the dist tarball on two "hosts": start scripts, nginx in front of two connectors, restart, stop', () => {
  const work = mkdtempSync(join(tmpdir(), 'fscpush-tarball-'));
  const id = `tb${process.pid}${Date.now().toString(36)}`;
  const clients: ChatClient[] = [];
  let host1: UnpackedBoot;
  let host2: UnpackedBoot;
  let nginx: NginxProcess | undefined;
  let edge: { tcp: number; ws: number; login: number; api: number };
  let mgmt: { group: number; c1: number; c2: number; api: number };
  const timings: Record<string, number> = {};

  before(async () => {
    const nginxBinary = ensureNginx();
    const built = await buildDist(join(work, 'out'));
    timings['dist'] = built.seconds * 1000;
    for (const host of ['host1', 'host2']) mkdirSync(join(work, host));
    host1 = UnpackedBoot.extract(built.file, join(work, 'host1'));
    host2 = UnpackedBoot.extract(built.file, join(work, 'host2'));
    await zkChroot(`/${id}`);

    const [gLogin, gRpc, gMgmt, c1Tcp, c1Ws, c1Rpc, c1Mgmt, c2Tcp, c2Ws, c2Rpc, c2Mgmt, aHttp, aRpc, aMgmt, eTcp, eWs, eLogin, eApi] = await freePorts(18);
    mgmt = { group: gMgmt!, c1: c1Mgmt!, c2: c2Mgmt!, api: aMgmt! };
    edge = { tcp: eTcp!, ws: eWs!, login: eLogin!, api: eApi! };
    const mysql = new URL(env('FSCPUSH_MYSQL_URI'));
    const common = {
      'server.address': '127.0.0.1',
      'dubbo.registry.address': `zookeeper://${env('FSCPUSH_ZK_CONNECT')}/${id}`,
      'zookeeper.session.timeout.ms': 4000,
      'push.kafka.broker': env('FSCPUSH_KAFKA_BROKERS'),
      'hazelcast.members': env('FSCPUSH_HZ_MEMBERS'),
      'hazelcast.cluster.name': env('FSCPUSH_HZ_CLUSTER_NAME'),
      'im.jdbc_url': `jdbc:mysql://${mysql.hostname}:${mysql.port || 3306}/fscpush_${id}`,
      'im.user': decodeURIComponent(mysql.username),
      'im.password': decodeURIComponent(mysql.password),
      'minio.url': env('FSCPUSH_S3_ENDPOINT'),
      'minio.access_key': env('FSCPUSH_S3_ACCESS_KEY'),
      'minio.secret_key': env('FSCPUSH_S3_SECRET_KEY'),
      'media.bucket.prefix': `${id}-`,
      'sms.superCode': SUPER,
      'im.admin_secret': `admin-${id}`,
      'logging.file.max-size': '1MB',
    };
    host1.configure('push-group', { ...common, 'server.http.port': gLogin!, 'dubbo.protocol.port': gRpc!, 'management.port': gMgmt! });
    host1.configure('push-connector', { ...common, 'push.tcp.port': c1Tcp!, 'push.ws.port': c1Ws!, 'dubbo.protocol.port': c1Rpc!, 'management.port': c1Mgmt! });
    host2.configure('push-connector', { ...common, 'push.tcp.port': c2Tcp!, 'push.ws.port': c2Ws!, 'dubbo.protocol.port': c2Rpc!, 'management.port': c2Mgmt! });
    host1.configure('push-api', { ...common, 'server.port': aHttp!, 'dubbo.protocol.port': aRpc!, 'management.port': aMgmt! });

    const example = readFileSync(join(host1.boot, 'nginx', 'nginx.conf'), 'utf8');
    const conf = localizeNginxExample(example, {
      listen: edge,
      hosts: [{ tcp: c1Tcp!, ws: c1Ws!, login: gLogin!, api: aHttp! }, { tcp: c2Tcp!, ws: c2Ws! }],
      media: new URL(env('FSCPUSH_S3_ENDPOINT')).host,
    });
    nginx = await startNginx(nginxBinary, join(work, 'nginx'), conf, [edge.tcp, edge.ws, edge.login, edge.api]);
  });

  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await nginx?.stop();
    for (const host of [host1, host2]) if (host) reportErrors(host);
    for (const host of [host1, host2]) for (const pid of host ? processesUnder(host.boot) : []) process.kill(pid, 'SIGKILL');
    if (process.env['FSCPUSH_KEEP_TARBALL_TEST'] !== '1') rmSync(work, { recursive: true, force: true });
    process.stderr.write(`tarball test timings (ms): ${JSON.stringify(timings)}\n`);
  });

  async function start(host: UnpackedBoot, service: BootService, label: string): Promise<void> {
    const run = await host.script(service, 'start');
    timings[`start ${label}`] = run.ms;
    assert.equal(run.code, 0, `${label}: ${run.stdout}${run.stderr}`);
    assert.match(run.stdout, new RegExp(`^${service}: started \\(pid \\d+\\)$`, 'm'));
    assert.ok(existsSync(host.pidFile(service)), `${label} pid file`);
  }

  async function login(mobile: string, clientId: string): Promise<{ userId: string; token: string; clientId: string }> {
    const res = await fetch(`http://127.0.0.1:${edge.login}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mobile, code: SUPER, clientId }) });
    const json = (await res.json()) as { code: number; result: { userId: string; token: string } };
    assert.equal(json.code, 0, 'login through nginx');
    return { ...json.result, clientId };
  }

  async function connect(transport: 'tcp' | 'ws', who: { userId: string; token: string; clientId: string }): Promise<ChatClient> {
    const client = transport === 'tcp' ? new TcpImClient({ requestTimeoutMs: 10_000 }) : new WsImClient({ requestTimeoutMs: 10_000 });
    clients.push(client);
    const result = await client.connect({
      host: '127.0.0.1',
      port: transport === 'tcp' ? edge.tcp : edge.ws,
      path: '/ws',
      userName: who.userId,
      password: deriveConnectPassword(who.token, { webQuirks: transport === 'ws' }),
      clientId: who.clientId,
      timeoutMs: 10_000,
    });
    assert.equal(result.accepted, true, `${transport} CONNECT through nginx: ${result.code}`);
    return client;
  }

  async function pullTexts(client: ChatClient): Promise<string[]> {
    const texts: string[] = [];
    let cursor = '0';
    for (let i = 0; i < 100; i++) {
      const page = await client.pull(cursor, 0);
      assert.equal(page.ok, true);
      texts.push(...page.messages.map((m) => m.content.searchableContent));
      // until a pull brings nothing new: that one was answered from the store, not from announced entries
      if (page.current === cursor) return texts;
      cursor = page.current;
    }
    throw new Error('pull did not converge');
  }

  test('start in FShareChat order, each waits for its health check; status says running and up', async () => {
    await start(host1, 'push-group', 'push-group');
    await start(host1, 'push-connector', 'connector 1');
    await start(host2, 'push-connector', 'connector 2');
    await start(host1, 'push-api', 'push-api');
    for (const [host, service] of [[host1, 'push-group'], [host1, 'push-connector'], [host2, 'push-connector'], [host1, 'push-api']] as const) {
      const status = await host.script(service, 'status');
      assert.equal(status.code, 0, status.stdout + status.stderr);
      assert.match(status.stdout, new RegExp(`^${service}: running \\(pid ${host.readPid(service)}\\), up as `, 'm'));
    }
    const again = await host1.script('push-group', 'start');
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already running/);
    assert.ok(existsSync(join(host1.serviceDir('push-group'), 'logs', 'push-group.log')), 'logs/push-group.log');
  });

  test('TCP and WebSocket clients through nginx reach both connectors and chat across them', async () => {
    const users = [];
    for (const i of [0, 1, 2, 3]) users.push(await login(`1370000010${i}`, `dev-${i}`));
    const conns: ChatClient[] = [];
    for (const [i, who] of users.entries()) conns.push(await connect(i % 2 === 0 ? 'tcp' : 'ws', who));
    await eventually('both connectors hold connections (nginx balances over both)', async () => (await metric(mgmt.c1, 'fscpush_connections', 'state="open"')) >= 1 && (await metric(mgmt.c2, 'fscpush_connections', 'state="open"')) >= 1);

    for (let i = 0; i < users.length; i++) {
      const to = users[(i + 1) % users.length]!;
      const ack = await conns[i]!.sendText({ type: 0, target: to.userId }, `hello ${i}`);
      assert.equal(ack.ok, true, `send ${i} through nginx`);
    }
    for (let i = 0; i < users.length; i++) {
      const from = (i + users.length - 1) % users.length;
      await eventually(`user ${i} receives hello ${from}`, async () => (await pullTexts(conns[i]!)).includes(`hello ${from}`));
    }
    assert.ok((await metric(mgmt.group, 'fscpush_messages_in_total', 'outcome="ok"')) >= users.length);
  });

  test('restart with clients connected: push-group restarts under them; a connector restarts and its clients reconnect through nginx', async () => {
    const alice = await login('13711110001', 'r-alice');
    const bob = await login('13711110002', 'r-bob');
    const a = await connect('tcp', alice);
    const b = await connect('ws', bob);

    const groupRestart = await host1.script('push-group', 'restart');
    timings['restart push-group'] = groupRestart.ms;
    assert.equal(groupRestart.code, 0, groupRestart.stdout + groupRestart.stderr);
    assert.match(groupRestart.stdout, /stopped[\s\S]*started/);
    await eventually('sends succeed again on the same connections', async () => (await a.sendText({ type: 0, target: bob.userId }, 'after group restart')).ok);
    await eventually('bob pulls it', async () => (await pullTexts(b)).includes('after group restart'));

    const connectorRestart = await host1.script('push-connector', 'restart');
    timings['restart connector 1'] = connectorRestart.ms;
    assert.equal(connectorRestart.code, 0, connectorRestart.stdout + connectorRestart.stderr);
    const survivors: ChatClient[] = [];
    for (const [who, client, transport] of [[alice, a, 'tcp'], [bob, b, 'ws']] as const) {
      const dropped = await Promise.race([client.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200))]);
      survivors.push(dropped ? await connect(transport, who) : client);
    }
    const [a2, b2] = survivors as [ChatClient, ChatClient];
    await eventually('a message after the connector restart arrives', async () => (await a2.sendText({ type: 0, target: bob.userId }, 'after connector restart')).ok);
    await eventually('bob pulls everything, in order', async () => {
      const texts = await pullTexts(b2);
      return texts.indexOf('after group restart') >= 0 && texts.indexOf('after connector restart') > texts.indexOf('after group restart');
    });
  });

  test('stop: every service drains and exits, pid files are gone, no process is left', async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    for (const [host, service, label] of [[host1, 'push-api', 'push-api'], [host2, 'push-connector', 'connector 2'], [host1, 'push-connector', 'connector 1'], [host1, 'push-group', 'push-group']] as const) {
      const run = await host.script(service, 'stop');
      timings[`stop ${label}`] = run.ms;
      assert.equal(run.code, 0, `${label}: ${run.stdout}${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^${service}: stopped$`, 'm'));
      assert.equal(existsSync(host.pidFile(service)), false, `${label} pid file removed`);
      const status = await host.script(service, 'status');
      assert.equal(status.code, 3);
      assert.match(status.stdout, /: stopped$/m);
    }
    assert.deepEqual([...processesUnder(host1.boot), ...processesUnder(host2.boot)], [], 'no process started from the tarball is left');
    const log = readFileSync(join(host1.serviceDir('push-group'), 'logs', 'push-group.log'), 'utf8');
    assert.match(log, /"msg":"shutting down"/);
  });

  test('a broken configuration: start exits 2 naming the key, and leaves no pid file or process', async () => {
    host2.configure('push-connector', { 'push.ws.port': 'notaport', 'push.no.such.key': 'x' });
    const run = await host2.script('push-connector', 'start');
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /push\.ws\.port: invalid value "notaport"/);
    assert.match(run.stderr, /push\.no\.such\.key: unknown key/);
    assert.equal(existsSync(host2.pidFile('push-connector')), false);
    assert.deepEqual(processesUnder(host2.boot), []);
  });
});
