import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CONFIG_KEYS, envNameOf, loadConfig, type ConfigKey } from '@fscpush/core';
import { TestCluster, type ServiceProcess } from './cluster-harness.ts';
import { pullAll } from './harness.ts';

type Service = 'push-group' | 'push-connector' | 'push-api';
const FIXTURES = join(import.meta.dirname, 'fixtures/fsharechat');
const releaseFile = (service: Service): string => join(FIXTURES, service, 'application.properties');
/** sms.superCode of FShareChat's push-group release file */
const RELEASE_SUPER_CODE = '66666';

/**
 * An operator's migration: each service gets FShareChat's release application.properties unchanged, with
 * only what these shared test engines need appended (addresses, credentials, free ports, and a node id,
 * bucket prefix and ZooKeeper chroot of this run). No FSCPUSH_* variables: the file is all the process reads.
 */
function pasteRelease(cluster: TestCluster, service: Service): string {
  const dir = mkdtempSync(join(cluster.baseDir, `${service}-`));
  const env = cluster.env();
  const appended = (Object.keys(CONFIG_KEYS) as ConfigKey[])
    .filter((key) => key !== 'sms.superCode' && key !== 'im.admin_secret' && env[envNameOf(key)] !== undefined)
    .map((key) => `${key}=${env[envNameOf(key)]!}`);
  appended.push(`node.id=${100 + Math.floor(Math.random() * 900)}`);
  writeFileSync(join(dir, 'application.properties'), `${readFileSync(releaseFile(service), 'utf8')}\n# the test engines\n${appended.join('\n')}\n`);
  return dir;
}

describe("cluster mode on FShareChat's release configuration files", () => {
  const cluster = new TestCluster();
  const dirs = {} as Record<Service, string>;
  const processes = {} as Record<Service, ServiceProcess>;

  before(async () => {
    await cluster.prepare();
    for (const service of ['push-group', 'push-connector', 'push-api'] as const) {
      dirs[service] = pasteRelease(cluster, service);
      processes[service] = await cluster.start(service, {}, dirs[service], { settings: 'file' });
    }
  });
  after(() => cluster.stop());

  test('each service logs every Java-only key of its file once, at start, as a warning saying what it does instead', () => {
    for (const service of ['push-group', 'push-connector', 'push-api'] as const) {
      const expected = loadConfig({ file: releaseFile(service), service }).warnings;
      assert.ok(expected.length > 5, `${service}: ${expected.length} warnings`);
      const logged = processes[service].output
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .filter((entry) => entry.level === 40)
        .map((entry) => entry.msg);
      for (const warning of expected) assert.equal(logged.filter((msg) => msg === warning).length, 1, `${service}: ${warning}`);
    }
  });

  test("a user logs in on push-group with the file's super code, connects to push-connector and gets a message sent by push-api", async () => {
    const res = await fetch(`http://127.0.0.1:${processes['push-group'].ports['login']}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mobile: '13300000001', code: RELEASE_SUPER_CODE, clientId: 'release-c' }),
    });
    const login = (await res.json()) as { code: number; result: { userId: string; token: string } };
    assert.equal(login.code, 0, JSON.stringify(login));
    const who = { ...login.result, clientId: 'release-c' };
    const client = await cluster.connect(processes['push-connector'], 'tcp', who);
    const start = await pullAll(client, '0');

    // no im.admin_secret in the release file: push-api generated one and wrote it to its data dir
    const secret = readFileSync(join(dirs['push-api'], 'admin-secret'), 'utf8').trim();
    const sent = await fetch(`http://127.0.0.1:${processes['push-api'].ports['api']}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversation: { type: 0, target: who.userId, line: 0 }, content: { type: 1, searchableContent: 'from push-api' } }),
    });
    assert.equal(sent.status, 200, await sent.text());
    await client.waitForNotify(10_000);
    assert.deepEqual((await pullAll(client, start.cursor)).messages.map((m) => m.text), ['from push-api']);
  });
});
