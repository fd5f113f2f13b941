import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

const INTERVAL_MS = 200;
const FALLBACK_AUTOCHECKPOINT_PAGES = 1000;

// The checkpointing thread: its own connection to the same file. PASSIVE never waits for (or blocks) the
// writer; it copies what it can and the next round takes the rest. Inline source, so the bundle needs no
// extra file; plain JavaScript.
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.file);
db.exec('PRAGMA busy_timeout = 1000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch {} // a busy database: the next round copies what this one could not
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint.get(); } catch {}
  db.close();
  parentPort.close();
});
`;

/**
 * Moves WAL checkpoints (copying committed pages into the database file, and its fsync) off the thread that
 * commits: the writer's connection stops checkpointing and a worker thread checkpoints every 200 ms. If that
 * thread dies, the writer checkpoints itself again. Durability is unchanged: a commit is in the WAL either way.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly writer: DatabaseSync;
  private stopped = false;
  private readonly exited: Promise<void>;

  constructor(writer: DatabaseSync, file: string) {
    this.writer = writer;
    writer.exec('PRAGMA wal_autocheckpoint = 0');
    this.worker = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { file, intervalMs: INTERVAL_MS } });
    this.worker.unref();
    this.worker.on('error', () => this.fallBack());
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    void this.exited.then(() => this.fallBack());
  }

  /** Final checkpoint on the thread, then it stops; the writer checkpoints itself from here on. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage('stop');
    await this.exited;
  }

  private fallBack(): void {
    if (!this.writer.isOpen) return;
    this.writer.exec(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  }
}
