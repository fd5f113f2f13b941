import zookeeper from 'node-zookeeper-client';
import type { Client, Option, Stat } from 'node-zookeeper-client';
import { FscError } from '@fscpush/core';

/**
 * Thin promise layer over node-zookeeper-client: bounded connect, bounded close, and every operation
 * bounded by a timeout (the library queues requests while disconnected and never answers them after a
 * session expires). ZooKeeper failures become FscError REGISTRY_UNAVAILABLE with `details.zk` naming the
 * ZooKeeper exception (NODE_EXISTS, NO_NODE, …) so callers can branch on the expected ones.
 */

export type { Client as ZkClient, Stat as ZkStat };

export const CreateMode = zookeeper.CreateMode;

export interface ZkConnectOptions {
  /** `host:port[,host:port…][/chroot]` (FShareChat's `dubbo.registry.address` without `zookeeper://`). */
  connect: string;
  /** Requested session timeout; the server clamps it to [2, 20] × its tickTime. */
  sessionTimeoutMs: number;
  /** Bound on establishing a session. */
  connectTimeoutMs: number;
  /** Session id + password to attach to an existing session (used by tests to force expiry). */
  attach?: { sessionId: Buffer; password: Buffer };
}

/** Connects a fresh client; rejects with REGISTRY_UNAVAILABLE if no session within the bound. */
export function connectClient(options: ZkConnectOptions): Promise<Client> {
  let client: Client;
  try {
    client = zookeeper.createClient(options.connect, {
      sessionTimeout: options.sessionTimeoutMs,
      spinDelay: 200,
      retries: 0,
      ...(options.attach ? { sessionId: options.attach.sessionId, sessionPassword: options.attach.password } : {}),
    } as Partial<Option>);
  } catch (err) {
    return Promise.reject(new FscError('CONFIG_INVALID', `zookeeper connect string "${options.connect}": ${(err as Error).message}`));
  }
  return new Promise((resolve, reject) => {
    const finish = (err?: FscError) => {
      clearTimeout(timer);
      client.removeListener('connected', onConnected);
      client.removeListener('expired', onExpired);
      client.removeListener('authenticationFailed', onAuthFailed);
      if (err) {
        void closeClient(client, 1000);
        reject(err);
      } else {
        resolve(client);
      }
    };
    const onConnected = () => finish();
    const onExpired = () => finish(new FscError('REGISTRY_UNAVAILABLE', 'zookeeper session expired while connecting'));
    const onAuthFailed = () => finish(new FscError('REGISTRY_UNAVAILABLE', 'zookeeper authentication failed'));
    const timer = setTimeout(
      () => finish(new FscError('REGISTRY_UNAVAILABLE', `no zookeeper session with ${options.connect} within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    client.once('connected', onConnected);
    client.once('expired', onExpired);
    client.once('authenticationFailed', onAuthFailed);
    client.connect();
  });
}

interface ConnectionManagerInternals {
  connectionManager?: { socket?: { destroy(): void } };
}

/**
 * Closes the session (its ephemeral nodes go away at once) and waits for the socket to close, at most
 * `timeoutMs`. The library's close() only queues a CLOSE_SESSION request, which is never sent while it is
 * disconnected and reconnects forever otherwise, so after the bound we destroy its socket (private field:
 * pinned library version 1.1.3). close() moves it to CLOSING first, so the destroyed socket is not retried.
 */
export async function closeClient(client: Client, timeoutMs: number): Promise<void> {
  const connected = client.getState() === zookeeper.State.SYNC_CONNECTED;
  try {
    client.close();
  } catch {
    // already closing
  }
  if (connected) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      client.once('disconnected', done);
      function done() {
        clearTimeout(timer);
        client.removeListener('disconnected', done);
        resolve();
      }
    });
  }
  (client as unknown as ConnectionManagerInternals).connectionManager?.socket?.destroy();
}

function exceptionName(err: unknown): string {
  if (err && typeof err === 'object' && 'name' in err && typeof err.name === 'string') return err.name;
  return String(err);
}

/** True when `err` is a ZooKeeper failure with the given exception name (NODE_EXISTS, NO_NODE, …). */
export function isZkError(err: unknown, name: string): boolean {
  return err instanceof FscError && err.details?.['zk'] === name;
}

/**
 * Runs one callback-style client operation with a timeout. A late answer after the timeout is ignored.
 * Synchronous throws (the library asserts on bad paths) become INVALID_DATA.
 */
export function zkOp<T>(what: string, timeoutMs: number, start: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new FscError('REGISTRY_UNAVAILABLE', `zookeeper ${what}: no answer within ${timeoutMs} ms`, { zk: 'TIMEOUT' }));
    }, timeoutMs);
    try {
      start((err, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          const name = exceptionName(err);
          reject(new FscError('REGISTRY_UNAVAILABLE', `zookeeper ${what}: ${name}`, { zk: name }));
        } else {
          resolve(value as T);
        }
      });
    } catch (err) {
      settled = true;
      clearTimeout(timer);
      reject(new FscError('INVALID_DATA', `zookeeper ${what}: ${(err as Error).message}`));
    }
  });
}
