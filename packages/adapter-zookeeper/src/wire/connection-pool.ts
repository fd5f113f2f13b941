import type { FscError, Logger } from '@fscpush/core';
import { ProviderConnection } from './provider-connection.ts';

export interface ConnectionPoolOptions {
  connectTimeoutMs: number;
  maxFrameBytes: number;
  maxInFlightPerConnection: number;
  /** After a connection to an address failed or dropped, prefer other providers for this long. */
  unhealthyMs: number;
  logger?: Logger | undefined;
}

/** One connection per provider address, opened on first use and replaced after it closes. */
export class ConnectionPool {
  private readonly options: ConnectionPoolOptions;
  private readonly connections = new Map<string, ProviderConnection>();
  private readonly unhealthyUntil = new Map<string, number>();
  private readonly intentional = new WeakSet<ProviderConnection>();
  private readonly probes = new Map<string, Promise<boolean>>();

  constructor(options: ConnectionPoolOptions) {
    this.options = options;
  }

  /** The connection to `host:port`, opening one if needed. */
  get(host: string, port: number, address: string): ProviderConnection {
    const existing = this.connections.get(address);
    if (existing !== undefined) return existing;
    const connection = new ProviderConnection({
      host,
      port,
      connectTimeoutMs: this.options.connectTimeoutMs,
      maxFrameBytes: this.options.maxFrameBytes,
      maxInFlight: this.options.maxInFlightPerConnection,
      logger: this.options.logger,
      onClosed: (closed) => this.onClosed(closed),
    });
    this.connections.set(address, connection);
    return connection;
  }

  /** Outstanding calls on `address` (0 without a connection). */
  active(address: string): number {
    return this.connections.get(address)?.active ?? 0;
  }

  /** False while the address recently failed or its provider said it is draining. */
  isPreferred(address: string): boolean {
    const connection = this.connections.get(address);
    if (connection !== undefined && !connection.acceptsCalls) return false;
    const until = this.unhealthyUntil.get(address);
    if (until === undefined) return true;
    if (Date.now() >= until) {
      this.unhealthyUntil.delete(address);
      return true;
    }
    return false;
  }

  /**
   * Whether the provider at `address` still answers (one probe at a time per address). Without a
   * connection there is nothing in flight to save, so it counts as alive.
   */
  probe(address: string, timeoutMs: number): Promise<boolean> {
    const connection = this.connections.get(address);
    if (connection === undefined) return Promise.resolve(true);
    let probe = this.probes.get(address);
    if (probe === undefined) {
      probe = connection.ping(timeoutMs).finally(() => this.probes.delete(address));
      this.probes.set(address, probe);
    }
    return probe;
  }

  /** Closes the connection now, failing what is outstanding on it with `error`. */
  drop(address: string, error: FscError): void {
    this.connections.get(address)?.close(error);
  }

  /** The address left every directory: close its connection once idle. */
  retire(address: string): void {
    const connection = this.connections.get(address);
    if (connection === undefined) return;
    this.intentional.add(connection);
    connection.retire();
  }

  closeAll(error: FscError): void {
    for (const connection of [...this.connections.values()]) {
      this.intentional.add(connection);
      connection.close(error);
    }
    this.connections.clear();
  }

  private onClosed(connection: ProviderConnection): void {
    if (this.connections.get(connection.address) === connection) this.connections.delete(connection.address);
    if (!this.intentional.has(connection)) this.unhealthyUntil.set(connection.address, Date.now() + this.options.unhealthyMs);
  }
}
