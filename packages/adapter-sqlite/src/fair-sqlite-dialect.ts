import { SqliteAdapter, SqliteDialect, type DatabaseConnection, type DialectAdapter, type Driver, type QueryCompiler, type TransactionSettings } from 'kysely';

/**
 * SQLite through Kysely with a fair lock on its one connection. Kysely's own lock for single-connection
 * dialects wakes every waiter on each release (all but one go back to waiting), so N queued queries cost
 * N² wake-ups, all in microtasks: under a backlog of thousands the thread stopped for seconds. Here each
 * release wakes exactly the next waiter, in arrival order, and after a run of hand-offs in one task the
 * next one waits for the event loop, so a backlog of queries cannot hold the thread either.
 */
export class FairSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockedByDriverAdapter();
  }

  override createDriver(): Driver {
    return new FairLockDriver(super.createDriver());
  }
}

/** The driver serialises access itself: Kysely must not add its own lock. */
class LockedByDriverAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

class FairLockDriver implements Driver {
  private readonly inner: Driver;
  private readonly lock = new FairLock();

  constructor(inner: Driver) {
    this.inner = inner;
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    try {
      return await this.inner.acquireConnection();
    } catch (err) {
      this.lock.release();
      throw err;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      this.lock.release();
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint!(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint!(connection, name, compile);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** Hand-offs in one task before the next waiter is woken from the event loop instead of a microtask. */
const HANDOFFS_PER_TASK = 32;

/** A FIFO lock: release wakes the oldest waiter only. */
export class FairLock {
  private held = false;
  private waiters: (() => void)[] = [];
  private head = 0;
  private handoffs = 0;
  private resetScheduled = false;

  get waiting(): number {
    return this.waiters.length - this.head;
  }

  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    if (this.head === this.waiters.length) {
      this.held = false;
      return;
    }
    const next = this.waiters[this.head]!;
    this.waiters[this.head++] = undefined as never;
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    if (++this.handoffs > HANDOFFS_PER_TASK) setImmediate(next);
    else next();
    if (!this.resetScheduled) {
      this.resetScheduled = true;
      setImmediate(() => {
        this.resetScheduled = false;
        this.handoffs = 0;
      });
    }
  }
}
