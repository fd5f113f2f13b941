import type { Kysely } from 'kysely';
import { FscError, type Logger, type MessageDto } from '@fscpush/core';
import type { Schema } from '@fscpush/infra/store';
import type { InboxHeads } from './inbox-heads.ts';
import type { RecentInbox } from './recent-inbox.ts';

export interface StoredMessage {
  mid: string;
  fromUid: string;
  fromClient: string;
  convType: number;
  convTarget: string;
  convLine: number;
  convKey: string;
  contentType: number;
  searchable: string;
  contentJson: string;
  toUsers: string;
  createdAt: number;
}

/** What a pull returns for the message, for the recent-inbox cache. */
export interface CachedMessage {
  fromClient: string;
  message: MessageDto;
}

interface Job {
  message: StoredMessage;
  receivers: string[];
  cached: CachedMessage | undefined;
  resolve: (seqs: Map<string, string>) => void;
  reject: (err: unknown) => void;
}

const MAX_JOBS_PER_BATCH = 256;
const INSERT_CHUNK = 500;
const MAX_ATTEMPTS = 5;

/**
 * The only writer of messages and inboxes. Sends queued in the same moment are committed together in
 * one transaction (group commit). Sequence numbers are allocated inside that transaction from the locked
 * inbox heads, so a reader never sees seq n+1 committed before seq n — a pull cursor can't skip a
 * message — even with several push-group processes writing to one database.
 */
export class MessageWriter {
  private readonly db: Kysely<Schema>;
  private readonly heads: InboxHeads;
  private readonly log: Logger;
  /** filled after each commit when this process is the only writer (embedded) */
  readonly recent: RecentInbox | undefined;
  private queue: Job[] = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(db: Kysely<Schema>, heads: InboxHeads, log: Logger, recent?: RecentInbox) {
    this.db = db;
    this.heads = heads;
    this.log = log;
    this.recent = recent;
  }

  /** Resolves with each receiver's new inbox seq once the message is durably committed. */
  write(message: StoredMessage, receivers: string[], cached?: CachedMessage): Promise<Map<string, string>> {
    if (this.closed) return Promise.reject(new FscError('SHUTTING_DOWN'));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, receivers, cached, resolve, reject });
      if (!this.running) {
        this.running = true;
        // the first commit waits for the rest of this event-loop turn: sends decoded from the same
        // socket reads join its batch instead of each paying a transaction of its own
        this.idle = new Promise<void>((start) => setImmediate(start)).then(() => this.drain());
      }
    });
  }

  /** The user's newest committed seq. */
  head(uid: string): Promise<bigint> {
    return this.heads.of(uid);
  }

  /** Stops taking writes and waits for queued ones to commit. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_JOBS_PER_BATCH);
      try {
        await this.commitWithRetry(batch);
      } catch (err) {
        this.log.error({ err }, 'message batch failed');
        for (const job of batch) job.reject(new FscError('SERVER_ERROR', undefined, undefined, { cause: err }));
      }
    }
    this.running = false;
  }

  /** Lock waits between writers can end in a deadlock or a duplicate seq on MySQL; the batch is then redone. */
  private async commitWithRetry(batch: Job[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.commit(batch);
        return;
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isTransientConflict(err)) throw err;
        this.log.warn({ attempt }, 'message batch conflicted with another writer; retrying');
      }
    }
  }

  private async commit(batch: Job[]): Promise<void> {
    const receivers = [...new Set(batch.flatMap((job) => job.receivers))];
    await this.heads.ensureRows(receivers);
    const results = await this.db.transaction().execute(async (trx) => {
      const heads = await this.heads.lock(trx, receivers);
      const inboxRows: { uid: string; seq: string; mid: string }[] = [];
      const perJob: Map<string, string>[] = [];
      for (const job of batch) {
        const seqs = new Map<string, string>();
        for (const uid of job.receivers) {
          const seq = heads.get(uid)! + 1n;
          heads.set(uid, seq);
          seqs.set(uid, seq.toString());
          inboxRows.push({ uid, seq: seq.toString(), mid: job.message.mid });
        }
        perJob.push(seqs);
      }
      await trx.insertInto('messages').values(batch.map((job) => toRow(job.message))).execute();
      for (let i = 0; i < inboxRows.length; i += INSERT_CHUNK) {
        await trx.insertInto('inbox').values(inboxRows.slice(i, i + INSERT_CHUNK)).execute();
      }
      await this.heads.store(trx, heads);
      return perJob;
    });
    if (this.recent) {
      const recent = this.recent;
      batch.forEach((job, i) => {
        if (!job.cached) return;
        const { fromClient, message } = job.cached;
        for (const [uid, seq] of results[i]!) recent.add(uid, { seq, fromClient, message });
      });
    }
    batch.forEach((job, i) => job.resolve(results[i]!));
  }
}

function isTransientConflict(err: unknown): boolean {
  const code = (err as { code?: unknown; errno?: unknown }).code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'ER_DUP_ENTRY';
}

function toRow(m: StoredMessage) {
  return {
    mid: m.mid,
    from_uid: m.fromUid,
    from_client: m.fromClient,
    conv_type: m.convType,
    conv_target: m.convTarget,
    conv_line: m.convLine,
    conv_key: m.convKey,
    content_type: m.contentType,
    searchable: m.searchable,
    content: m.contentJson,
    to_users: m.toUsers,
    created_at: m.createdAt,
  };
}
