import { createServer, type Server, type Socket } from 'node:net';
import { asFscError, FscError, type Logger } from '@fscpush/core';
import { RpcFrameDecoder, decodeRpcMessage, encodeRpcFrame, encodeRpcMessage, type RpcMessage } from '@fscpush/protocol';

export interface RpcServerOptions {
  /** Bind address. */
  host: string;
  /** 0 picks a free port; listen() returns the real one. */
  port: number;
  maxFrameBytes: number;
  /** Calls running at once for one connection; more are rejected (not run) with OVER_FREQUENCY. */
  maxInFlightPerConnection: number;
  logger?: Logger | undefined;
}

interface ServerConnection {
  socket: Socket;
  inFlight: number;
  corked: boolean;
}

/**
 * The provider side: one TCP listener per process serving every provided service. States:
 *
 *   serving ──startDraining()──▶ draining ──close()──▶ closed
 *
 * While draining, new connections are refused, calls already running finish and are answered, and new
 * calls are answered SHUTTING_DOWN with `rejected` (not run, safe to send elsewhere).
 */
export class RpcServer {
  private readonly options: RpcServerOptions;
  private readonly server: Server;
  private readonly services = new Map<string, object>();
  private readonly connections = new Set<ServerConnection>();
  private inFlight = 0;
  private state: 'serving' | 'draining' | 'closed' = 'serving';
  private idleWaiters: (() => void)[] = [];

  constructor(options: RpcServerOptions) {
    this.options = options;
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(new FscError('CONFIG_INVALID', `rpc listener ${this.options.host}:${this.options.port}: ${err.message}`));
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : this.options.port);
      });
    });
  }

  provide(service: string, impl: object): void {
    this.services.set(service, impl);
  }

  withdraw(service: string): void {
    this.services.delete(service);
  }

  get callsInFlight(): number {
    return this.inFlight;
  }

  /** Stop taking calls: refuse connections, tell connected callers to go elsewhere, answer new calls SHUTTING_DOWN. */
  startDraining(): void {
    if (this.state !== 'serving') return;
    this.state = 'draining';
    this.server.close();
    for (const connection of this.connections) this.send(connection, { k: 'bye' });
  }

  /** Resolves when no call is running, or after `timeoutMs`; returns how many were still running. */
  async drain(timeoutMs: number): Promise<number> {
    if (this.inFlight === 0) return 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiter = () => done();
      this.idleWaiters.push(waiter);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
    this.idleWaiters = [];
    return this.inFlight;
  }

  /**
   * Closes every connection: replies already written are flushed first (end(), which also uncorks), then
   * FIN; a connection not closed within `graceMs` is destroyed. Calls still running are abandoned: their
   * callers see the connection close. (destroy() right away would drop a reply written in the same tick.)
   */
  async close(graceMs = 1000): Promise<void> {
    this.startDraining();
    this.state = 'closed';
    const closing = [...this.connections].map(
      ({ socket }) =>
        new Promise<void>((resolve) => {
          if (socket.destroyed) return resolve();
          const timer = setTimeout(() => socket.destroy(), graceMs);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.end();
        }),
    );
    this.connections.clear();
    await Promise.all(closing);
  }

  private accept(socket: Socket): void {
    if (this.state !== 'serving') {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    const connection: ServerConnection = { socket, inFlight: 0, corked: false };
    this.connections.add(connection);
    const decoder = new RpcFrameDecoder(this.options.maxFrameBytes);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const body of decoder.push(chunk)) this.handle(connection, decodeRpcMessage(body));
      } catch (err) {
        this.options.logger?.warn({ err, remote: socket.remoteAddress }, 'rpc: protocol violation; closing the connection');
        socket.destroy();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.connections.delete(connection));
  }

  private handle(connection: ServerConnection, message: RpcMessage): void {
    switch (message.k) {
      case 'ping':
        this.send(connection, { k: 'pong', id: message.id });
        return;
      case 'call':
        this.dispatch(connection, message);
        return;
      default:
        throw new FscError('INVALID_DATA', `unexpected ${message.k} from a caller`);
    }
  }

  /** Everything before `fn.apply` is a rejection: the method did not run. */
  private dispatch(connection: ServerConnection, call: { id: number; s: string; m: string; a: unknown[] }): void {
    const reject = (err: FscError) => this.send(connection, { k: 'err', id: call.id, e: err.toWire(), rejected: true });
    if (this.state !== 'serving') return reject(new FscError('SHUTTING_DOWN', 'provider is shutting down'));
    const impl = this.services.get(call.s) as Record<string, unknown> | undefined;
    if (impl === undefined) return reject(new FscError('RPC_NO_PROVIDER', `${call.s} is not provided here`));
    if (connection.inFlight >= this.options.maxInFlightPerConnection) {
      return reject(new FscError('OVER_FREQUENCY', `provider busy: ${connection.inFlight} calls in flight on this connection`));
    }
    const fn = callable(impl, call.m);
    if (fn === undefined) {
      this.send(connection, { k: 'err', id: call.id, e: new FscError('NOT_IMPLEMENTED', `${call.s}.${call.m} does not exist`).toWire() });
      return;
    }
    connection.inFlight++;
    this.inFlight++;
    void (async () => {
      try {
        const result: unknown = await fn.apply(impl, call.a);
        this.send(connection, { k: 'ok', id: call.id, r: result }, call);
      } catch (err) {
        const fsc = asFscError(err);
        if (fsc !== err) this.options.logger?.error({ err, service: call.s, method: call.m }, 'rpc: provider method failed');
        this.send(connection, { k: 'err', id: call.id, e: fsc.toWire() });
      } finally {
        connection.inFlight--;
        this.inFlight--;
        if (this.inFlight === 0) for (const waiter of this.idleWaiters) waiter();
      }
    })();
  }

  /** Writes a message; a reply that cannot be encoded or is too large becomes an error reply. */
  private send(connection: ServerConnection, message: RpcMessage, call?: { s: string; m: string }): void {
    if (connection.socket.destroyed) return;
    let body: Buffer;
    try {
      body = encodeRpcMessage(message);
      if (body.length > this.options.maxFrameBytes) {
        throw new FscError('INVALID_DATA', `reply of ${body.length} bytes exceeds the ${this.options.maxFrameBytes}-byte frame limit`);
      }
    } catch (err) {
      if (message.k !== 'ok') throw err;
      const fsc = err instanceof FscError ? err : new FscError('INVALID_DATA', `result is not JSON-serialisable: ${(err as Error).message}`);
      this.options.logger?.error({ err, service: call?.s, method: call?.m }, 'rpc: reply cannot be sent');
      body = encodeRpcMessage({ k: 'err', id: message.id, e: fsc.toWire() });
    }
    // Replies produced in the same tick leave in one syscall.
    if (!connection.corked) {
      connection.corked = true;
      connection.socket.cork();
      process.nextTick(() => {
        connection.corked = false;
        connection.socket.uncork();
      });
    }
    connection.socket.write(encodeRpcFrame(body));
  }
}

/** The method to run, or undefined: only functions, never Object.prototype's or the constructor. */
function callable(impl: Record<string, unknown>, method: string): ((...args: unknown[]) => unknown) | undefined {
  if (method === 'constructor' || method in Object.prototype) return undefined;
  const fn = impl[method];
  return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown) : undefined;
}
