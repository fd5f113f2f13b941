import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createZkNodeIdAllocator, type ZkNodeIdAllocator, type ZkNodeIdAllocatorOptions } from '../src/index.ts';
import { isFscError } from '@fscpush/ports/contracts/registry-contract';
import { uniqueName } from '@fscpush/ports/contracts/helpers';
import { forceExpire, rawClient } from './zk-cluster-env.ts';

const connect = process.env['FSCPUSH_ZK_CONNECT'];

if (!connect) {
  test('ZooKeeper configured', () => assert.fail('set FSCPUSH_ZK_CONNECT (eval "$(scripts/devstack env)" after scripts/devstack up zookeeper)'));
} else {
  const zk = { connect, sessionTimeoutMs: 4000 };

  /** Each test gets its own root, so ids start at 0 and nothing needs cleaning. */
  function freshRoot(): string {
    return `/fscpush-test/${uniqueName('ids')}`;
  }

  /** An allocator on its own ZooKeeper session (a separate "process"), closed after the test. */
  async function allocator(t: TestContext, root: string, extra: Partial<ZkNodeIdAllocatorOptions> = {}): Promise<ZkNodeIdAllocator> {
    const a = await createZkNodeIdAllocator({ zookeeper: zk, root, ...extra });
    t.after(() => a.close());
    return a;
  }

  test('ids start at 0, are recorded as <root>/node-ids/<id> = instanceKey, and the lease is an ephemeral child', async (t) => {
    const root = freshRoot();
    const a = await allocator(t, root);
    assert.equal(await a.allocate('host-a:/data/fscpush'), 0);
    assert.equal(await a.allocate('host-a:/data/fscpush'), 0, 'allocating again in the same instance is idempotent');
    const raw = await rawClient();
    t.after(() => raw.close());
    assert.equal((await raw.data(`${root}/node-ids/0`)).toString(), 'host-a:/data/fscpush');
    const lease = await raw.stat(`${root}/node-ids/0/lease`);
    assert.ok(lease && !lease.ephemeralOwner.equals(Buffer.alloc(8)), 'lease is ephemeral');
    assert.match((await raw.data(`${root}/node-ids/0/lease`)).toString(), new RegExp(`^${process.pid}@`));
  });

  test('the same instance key gets the same id after a restart; different keys get different ids', async (t) => {
    const root = freshRoot();
    const first = await allocator(t, root);
    assert.equal(await first.allocate('a'), 0);
    assert.equal(await first.allocate('b'), 1);
    await first.close();
    const restarted = await allocator(t, root);
    assert.equal(await restarted.allocate('b'), 1);
    assert.equal(await restarted.allocate('a'), 0);
    assert.equal(await restarted.allocate('c'), 2);
  });

  test('concurrent allocations from separate sessions never share an id', async (t) => {
    const root = freshRoot();
    const allocators = await Promise.all(Array.from({ length: 8 }, () => allocator(t, root)));
    const ids = await Promise.all(allocators.map((a, i) => a.allocate(`instance-${i}`)));
    assert.deepEqual([...ids].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('a second live instance with the same key is refused (NODE_ID_CONFLICT) until the first one is gone', async (t) => {
    const root = freshRoot();
    const first = await allocator(t, root);
    const second = await allocator(t, root);
    assert.equal(await first.allocate('shared-data-dir'), 0);
    await assert.rejects(second.allocate('shared-data-dir'), (err: Error) => {
      isFscError('NODE_ID_CONFLICT')(err);
      assert.match(err.message, /node id 0 .*held by another live instance \(\d+@/);
      return true;
    });
    await first.close();
    assert.equal(await second.allocate('shared-data-dir'), 0, 'free once the holder\'s session ended');
  });

  test('two new instances racing with the same key: one wins the id, the other is refused; one id is used', async (t) => {
    const root = freshRoot();
    const [a, b] = [await allocator(t, root), await allocator(t, root)];
    const results = await Promise.allSettled([a.allocate('same'), b.allocate('same')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal((won[0] as PromiseFulfilledResult<number>).value, 0);
    assert.ok(isFscError('NODE_ID_CONFLICT')((lost[0] as PromiseRejectedResult).reason));
    const c = await allocator(t, root);
    assert.equal(await c.allocate('other'), 1, 'the race left no orphan id behind');
  });

  test('all ids taken → NODE_ID_EXHAUSTED', async (t) => {
    const root = freshRoot();
    const a = await allocator(t, root, { maxId: 2 });
    assert.deepEqual([await a.allocate('k0'), await a.allocate('k1'), await a.allocate('k2')], [0, 1, 2]);
    await assert.rejects(a.allocate('k3'), isFscError('NODE_ID_EXHAUSTED'));
    assert.equal(await a.allocate('k1'), 1, 'known keys still get theirs');
  });

  test('the lease is re-created after a session expiry and keeps refusing a second instance', async (t) => {
    const root = freshRoot();
    const session = await (await import('../src/index.ts')).ZkSession.open(zk);
    t.after(() => session.close());
    const holder = await createZkNodeIdAllocator({ zookeeper: session, root });
    assert.equal(await holder.allocate('k'), 0);
    await forceExpire(session);
    const raw = await rawClient();
    t.after(() => raw.close());
    const lease = await raw.stat(`${root}/node-ids/0/lease`);
    assert.ok(lease?.ephemeralOwner.equals(session.credentials().sessionId), 'lease owned by the new session');
    const other = await allocator(t, root);
    await assert.rejects(other.allocate('k'), isFscError('NODE_ID_CONFLICT'));
  });

  test('bad instance keys are INVALID_DATA', async (t) => {
    const a = await allocator(t, freshRoot());
    await assert.rejects(a.allocate(''), isFscError('INVALID_DATA'));
    await assert.rejects(a.allocate('x'.repeat(201)), isFscError('INVALID_DATA'));
    assert.equal(await a.allocate('with/slashes and spaces %'), 0, 'any other text is fine: it is URL-encoded in the znode name');
  });
}
