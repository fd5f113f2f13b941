import type { Connection } from './connection.ts';

/** The authenticated connections of this connector, by client id (one connection per device). */
export class ConnectionTable {
  private readonly byClient = new Map<string, Connection>();
  private readonly all = new Set<Connection>();

  /** Adds a connection that is not yet authenticated (for idle sweeping and shutdown). */
  track(conn: Connection): void {
    this.all.add(conn);
  }

  untrack(conn: Connection): void {
    this.all.delete(conn);
  }

  /** Indexes an authenticated connection; returns the connection it replaces for the same client id. */
  attach(conn: Connection): Connection | undefined {
    const previous = this.byClient.get(conn.clientId);
    this.byClient.set(conn.clientId, conn);
    return previous !== conn ? previous : undefined;
  }

  detach(conn: Connection): void {
    if (this.byClient.get(conn.clientId) === conn) this.byClient.delete(conn.clientId);
  }

  /** The open connection of a user's device, if this connector holds it. */
  find(uid: string, clientId: string): Connection | undefined {
    const conn = this.byClient.get(clientId);
    return conn && conn.uid === uid && conn.state === 'open' ? conn : undefined;
  }

  get size(): number {
    return this.all.size;
  }

  get authenticated(): number {
    return this.byClient.size;
  }

  connections(): IterableIterator<Connection> {
    return this.all.values();
  }
}
