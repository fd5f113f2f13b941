import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestCluster, type ServiceProcess } from './cluster-harness.ts';

const EMBED = { FSCPUSH_IM_EMBED_DB: '1' };

/**
 * im.embed_db=1 (FShareChat's embedded H2) on push-group in cluster mode: the data lives in that instance's
 * SQLite file, so a second instance of the service, with its own file or on MySQL, would split it. Each
 * data dir below stands for another host: only the ZooKeeper claim can stop those.
 */
describe('cluster mode, im.embed_db=1: one push-group keeps the data in its own SQLite file, and only one', () => {
  const cluster = new TestCluster();
  let first: ServiceProcess;

  before(async () => {
    await cluster.prepare();
    first = await cluster.start('push-group', EMBED);
  });
  after(() => cluster.stop());

  test('it serves logins from a SQLite file in its data dir, still registered in ZooKeeper', async () => {
    const who = await cluster.login(first, '13400000001', 'embed-c');
    assert.match(who.userId, /\S/);
    const dataDir = first.proc.spawnargs[first.proc.spawnargs.indexOf('--data-dir') + 1]!;
    assert.ok(existsSync(join(dataDir, 'push-group.sqlite')), 'push-group.sqlite in the data dir');
    assert.ok(existsSync(join(dataDir, 'push-group.sqlite.lock')), 'and its lock file');
    assert.ok(first.output.some((line) => line.includes('im.embed_db=1: push-group keeps its data in a local SQLite file')));
    const connector = await cluster.start('push-connector');
    const client = await cluster.connect(connector, 'ws', who);
    await client.close();
    await connector.kill('SIGTERM');
  });

  test('a second push-group with im.embed_db=1 (another host) fails at start naming the first', async () => {
    await assert.rejects(cluster.start('push-group', EMBED), (err: Error) => {
      assert.match(err.message, /push-group exited during start \(1\)/);
      assert.match(err.message, new RegExp(`another push-group already keeps its data in a local SQLite file \\(im\\.embed_db=1: host \\S+, pid ${first.proc.pid}, file .*push-group\\.sqlite\\)`));
      assert.match(err.message, /Run one push-group with im\.embed_db=1, or set im\.embed_db=0 on every push-group/);
      return true;
    });
  });

  test('a push-group on MySQL beside it fails at start too: it would split the data', async () => {
    await assert.rejects(cluster.start('push-group'), (err: Error) => {
      assert.match(err.message, /a push-group with im\.embed_db=1 keeps this cluster's push-group data in a local SQLite file/);
      return true;
    });
  });

  test('push-api is a different store: it starts on MySQL beside the SQLite push-group', async () => {
    const api = await cluster.start('push-api');
    await api.kill('SIGTERM');
  });

  test('once the first stops, the claim is free: MySQL push-groups start, and then one with im.embed_db=1 is refused', async () => {
    assert.equal((await first.kill('SIGTERM')).code, 0);
    const onMysql = await cluster.start('push-group');
    assert.match((await cluster.login(onMysql, '13400000002', 'mysql-c')).userId, /\S/);
    await assert.rejects(cluster.start('push-group', EMBED), (err: Error) => {
      assert.match(err.message, /1 push-group instance\(s\) already keep their data in the MySQL database \(host \S+, pid \d+, database /);
      return true;
    });
  });
});

describe('cluster mode, im.embed_db=1: a push-group that lost its claim while paused stops instead of splitting the data', () => {
  const cluster = new TestCluster();
  after(() => cluster.stop());

  test('paused past its ZooKeeper session, replaced meanwhile, it shuts itself down when it resumes', async () => {
    await cluster.prepare();
    const paused = await cluster.start('push-group', EMBED);
    paused.proc.kill('SIGSTOP');
    // its claim goes with its session (zookeeper.session.timeout.ms 4 s here); until then a replacement is refused
    let replacement: ServiceProcess | undefined;
    const deadline = Date.now() + 60_000;
    while (replacement === undefined && Date.now() < deadline) {
      replacement = await cluster.start('push-group', EMBED).catch((err: Error) => {
        assert.match(err.message, /another push-group already keeps its data in a local SQLite file/);
        return undefined;
      });
    }
    assert.ok(replacement, 'a replacement started once the paused one had lost its session');
    paused.proc.kill('SIGCONT');
    const { code } = await paused.exited;
    assert.equal(code, 1);
    assert.ok(paused.output.some((line) => line.includes('another instance took the ZooKeeper claim on this store')), paused.output.slice(-5).join('\n'));
    assert.match((await cluster.login(replacement, '13400000003', 'after-c')).userId, /\S/, 'the replacement serves');
  });
});
