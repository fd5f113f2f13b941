import zookeeper from 'node-zookeeper-client';
import { closeClient, connectClient, zkOp, type ZkClient, type ZkStat } from '../src/zk/zk-client.ts';
import type { ZkSession } from '../src/zk/zk-session.ts';
import { sleep, waitFor } from '@fscpush/ports/contracts/helpers';

/** The dev stack's ZooKeeper (`eval "$(scripts/devstack env)"`); a cluster test fails without it. */
export function zkConnect(): string {
  const connect = process.env['FSCPUSH_ZK_CONNECT'];
  if (connect === undefined || connect === '') {
    throw new Error('FSCPUSH_ZK_CONNECT is not set: run `scripts/devstack up zookeeper` and `eval "$(scripts/devstack env)"` (or npm run test:cluster)');
  }
  return connect;
}

/**
 * Expires `session` for real: attach a second client to the same session id + password, then close it.
 * Closing ends the session on the server; the first client's next (re)connect is told it expired. The
 * server drops the first client's connection when the second attaches, and the first may win the session
 * back before the second's close arrives, so this repeats (bounded) until the session is gone. Resolves
 * once `session` has a new session with its ephemeral nodes and watches restored.
 */
export async function forceExpire(session: ZkSession, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let renewed = false;
  const off = session.onRenewed(() => (renewed = true));
  try {
    const { sessionId, password, connect } = session.credentials();
    while (!renewed) {
      if (Date.now() > deadline) throw new Error(`session not expired and renewed within ${timeoutMs} ms`);
      let intruder: ZkClient;
      try {
        intruder = await connectClient({ connect, sessionTimeoutMs: 4000, connectTimeoutMs: 2000, attach: { sessionId, password } });
      } catch {
        // the session is gone (its renewal follows), or the server did not answer in time (a loaded
        // machine): either way look again shortly, attaching once more if it was not renewed
        const until = Date.now() + 500;
        while (!renewed && Date.now() < until) await sleep(10);
        continue;
      }
      await closeClient(intruder, 2000);
      const until = Date.now() + 1000;
      while (!renewed && Date.now() < until) await sleep(10);
    }
    await waitFor('the session to be renewed', () => renewed, Math.max(1, deadline - Date.now()));
  } finally {
    off();
  }
}

/** A plain client for reading znodes back as Dubbo tooling would. */
export async function rawClient(): Promise<RawZk> {
  return new RawZk(await connectClient({ connect: zkConnect(), sessionTimeoutMs: 4000, connectTimeoutMs: 5000 }));
}

export class RawZk {
  readonly client: ZkClient;

  constructor(client: ZkClient) {
    this.client = client;
  }

  children(path: string): Promise<string[]> {
    return zkOp('children', 5000, (done) => this.client.getChildren(path, done));
  }

  data(path: string): Promise<Buffer> {
    return zkOp('get', 5000, (done) => this.client.getData(path, done));
  }

  stat(path: string): Promise<ZkStat | null> {
    return zkOp('exists', 5000, (done) => this.client.exists(path, done));
  }

  mkdirp(path: string): Promise<string> {
    return zkOp('mkdirp', 5000, (done) => this.client.mkdirp(path, done));
  }

  createEphemeral(path: string, data = Buffer.alloc(0)): Promise<string> {
    return zkOp('create', 5000, (done) => this.client.create(path, data, zookeeper.CreateMode.EPHEMERAL, done));
  }

  remove(path: string): Promise<void> {
    return zkOp('remove', 5000, (done) => this.client.remove(path, done));
  }

  sessionId(): Buffer {
    return this.client.getSessionId();
  }

  close(): Promise<void> {
    return closeClient(this.client, 5000);
  }
}
