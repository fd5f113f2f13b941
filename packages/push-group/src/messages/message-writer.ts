import type { Kysely } from 'kysely';
import { FscError, type Logger } from '@fscpush/core';
import type { Schema } from '@fscpush/infra/store';
import type { MessagesRepo } from '../repos/messages-repo.ts';

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

interface Job {
  message: StoredMessage;
  receivers: string[];
  resolve: (seqs: Map<string, string>) => void;
  reject: (err: unknown) => void;
}

const MAX_JOBS_PER_BATCH = 256;
const INSERT_CHUNK = 500;
const HEAD_CACHE_LIMIT = 200_000;

/**
 * The only writer of messages and inboxes. Sends queued in the same moment are committed together in
 * one transaction (group commit). Sequence numbers are allocated inside the writer, in commit order, so a
 * reader never sees seq n+1 committed before seq n — a pull cursor can't skip a message.
 */
export class MessageWriter {
  private readonly db: Kysely<Schema>;
  private readonly repo: MessagesRepo;
  private readonly log: Logger;
  private readonly heads = new Map<string, bigint>();
  private queue: Job[] = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(db: Kysely<Schema>, repo: MessagesRepo, log: Logger) {
    this.db = db;
    this.repo = repo;
    this.log = log;
  }

  /** Resolves with each receiver's new inbox seq once the message is durably committed. */
  write(message: StoredMessage, receivers: string[]): Promise<Map<string, string>> {
    if (this.closed) return Promise.reject(new FscError('SHUTTING_DOWN'));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, receivers, resolve, reject });
      if (!this.running) {
        this.running = true;
        this.idle = this.drain();
      }
    });
  }

  /** The user's newest committed seq. */
  async head(uid: string): Promise<bigint> {
    return this.heads.get(uid) ?? (await this.repo.headOf(uid));
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
        await this.commit(batch);
      } catch (err) {
        this.log.error({ err }, 'message batch failed; heads reloaded from the store');
        for (const job of batch) for (const uid of job.receivers) this.heads.delete(uid);
        for (const job of batch) job.reject(new FscError('SERVER_ERROR', undefined, undefined, { cause: err }));
      }
    }
    this.running = false;
  }

  private async commit(batch: Job[]): Promise<void> {
    const allocated = await this.headsFor(batch);
    const inboxRows: { uid: string; seq: string; mid: string }[] = [];
    const results: Map<string, string>[] = [];
    for (const job of batch) {
      const seqs = new Map<string, string>();
      for (const uid of job.receivers) {
        const seq = allocated.get(uid)! + 1n;
        allocated.set(uid, seq);
        seqs.set(uid, seq.toString());
        inboxRows.push({ uid, seq: seq.toString(), mid: job.message.mid });
      }
      results.push(seqs);
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('messages').values(batch.map((job) => toRow(job.message))).execute();
      for (let i = 0; i < inboxRows.length; i += INSERT_CHUNK) {
        await trx.insertInto('inbox').values(inboxRows.slice(i, i + INSERT_CHUNK)).execute();
      }
    });
    for (const [uid, seq] of allocated) this.setHead(uid, seq);
    batch.forEach((job, i) => job.resolve(results[i]!));
  }

  private async headsFor(batch: Job[]): Promise<Map<string, bigint>> {
    const heads = new Map<string, bigint>();
    const missing: string[] = [];
    for (const job of batch) {
      for (const uid of job.receivers) {
        if (heads.has(uid)) continue;
        const cached = this.heads.get(uid);
        if (cached === undefined) missing.push(uid);
        heads.set(uid, cached ?? 0n);
      }
    }
    for (const [uid, head] of await this.repo.headsOf(missing)) heads.set(uid, head);
    return heads;
  }

  private setHead(uid: string, seq: bigint): void {
    this.heads.delete(uid);
    this.heads.set(uid, seq);
    if (this.heads.size > HEAD_CACHE_LIMIT) {
      const oldest = this.heads.keys().next().value;
      if (oldest !== undefined) this.heads.delete(oldest);
    }
  }
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
