import type { Kysely, Transaction } from 'kysely';
import { FscError, letOthersRun, type Logger, type MessageDto } from '@fscpush/core';
import type { Schema, SqlDialect } from '../store/index.ts';
import { cursorLimit, entryIsFor, type GroupTimeline } from '../repos/group-timeline.ts';
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

/** A message of a lazy group: stored once in the group's timeline, put in the inboxes of online members only. */
export interface TimelinePost {
  gid: string;
  /** every active member (uid → member type; the group cache's map, read only) */
  members: ReadonlyMap<string, number>;
  /** sent to some members only: them and the sender */
  targets: Set<string> | undefined;
}

/** Which of these users have a live session now. */
export type OnlineFilter = (uids: string[]) => Promise<Set<string>>;

/** What a write did: the new inbox seq of each inbox it went to, and (lazy groups) who must catch up first. */
export interface WriteResult {
  seqs: Map<string, string>;
  /** online members whose inbox is too far behind the group's timeline to take this post in the same transaction */
  behind: string[];
}

interface Job {
  message: StoredMessage;
  /** inbox owners; for a timeline post, filled in the transaction from the online members */
  receivers: string[];
  timeline: TimelinePost | undefined;
  cached: CachedMessage | undefined;
  resolve: (result: WriteResult) => void;
  reject: (err: unknown) => void;
}

const MAX_JOBS_PER_BATCH = 256;
const INSERT_CHUNK = 500;
const MAX_ATTEMPTS = 5;
/** timeline entries one catch-up transaction moves into an inbox */
const CATCH_UP_CHUNK = 1000;
/** how far behind its group's timeline an online member's inbox may be for a send to fill the gap */
const BACKFILL_LIMIT = 1000;

interface Takers {
  /** per lazy group: who takes its posts in this batch */
  takers: Map<string, Set<string>>;
  /** per member: the timeline messages (mids) it gets first */
  backfill: Map<string, string[]>;
  /** per lazy group: online members too far behind to take its posts now */
  behind: Map<string, Set<string>>;
}

const NO_TAKERS: Takers = { takers: new Map(), backfill: new Map(), behind: new Map() };

export interface MessageWriterDeps {
  db: Kysely<Schema>;
  /** which errors of a write transaction are conflicts with another writer (the work is redone) */
  dialect: Pick<SqlDialect, 'isTransientConflict'>;
  heads: InboxHeads;
  timeline: GroupTimeline;
  /** who is online, for timeline posts; a failing lookup counts nobody (they catch up on their next pull) */
  online: OnlineFilter;
  /** MySQL: CONNECT waits for in-flight sends of the user's lazy groups (on SQLite nothing interleaves) */
  waitForSenders: boolean;
  log: Logger;
  recent?: RecentInbox;
}

/**
 * The only writer of messages and inboxes. Sends queued in the same moment are committed together in
 * one transaction (group commit). Sequence numbers are allocated inside that transaction from the locked
 * inbox heads, so a reader never sees seq n+1 committed before seq n — a pull cursor can't skip a
 * message — even with several push-group processes writing to one database.
 *
 * Lazy groups: a message goes to the group's timeline and, in the same transaction, to the inboxes of the
 * members who are online and up to date with the timeline (read after the group's head is locked). Anyone
 * else catches up — in timeline order, with ordinary inbox seqs — when they connect or pull (catchUp).
 * A member who connects while a send is in flight either was seen online by it, or registered after it
 * locked the head; then the CONNECT's catch-up waits for that send and takes it.
 */
export class MessageWriter {
  private readonly db: Kysely<Schema>;
  private readonly dialect: Pick<SqlDialect, 'isTransientConflict'>;
  private readonly heads: InboxHeads;
  private readonly timeline: GroupTimeline;
  private readonly online: OnlineFilter;
  private readonly waitForSenders: boolean;
  private readonly log: Logger;
  /** filled after each commit when this process is the only writer (embedded) */
  readonly recent: RecentInbox | undefined;
  private queue: Job[] = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(deps: MessageWriterDeps) {
    this.db = deps.db;
    this.dialect = deps.dialect;
    this.heads = deps.heads;
    this.timeline = deps.timeline;
    this.online = deps.online;
    this.waitForSenders = deps.waitForSenders;
    this.log = deps.log;
    this.recent = deps.recent;
  }

  /** Resolves with each receiver's new inbox seq once the message is durably committed. */
  async write(message: StoredMessage, receivers: string[], cached?: CachedMessage): Promise<Map<string, string>> {
    return (await this.enqueue(message, receivers, undefined, cached)).seqs;
  }

  /** A lazy group's message; resolves with the seqs of the inboxes it went to right away (online members). */
  post(message: StoredMessage, timeline: TimelinePost, cached?: CachedMessage): Promise<WriteResult> {
    return this.enqueue(message, [], timeline, cached);
  }

  private enqueue(message: StoredMessage, receivers: string[], timeline: TimelinePost | undefined, cached: CachedMessage | undefined): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new FscError('SHUTTING_DOWN'));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, receivers, timeline, cached, resolve, reject });
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

  /**
   * Moves what the user's lazy groups' timelines hold beyond the user's cursors into the user's inbox.
   * `connecting`: the user just registered a session; on MySQL this waits for sends of those groups that
   * are in flight and may not have seen the session.
   */
  async catchUp(uid: string, connecting = false): Promise<void> {
    let gids = await this.timeline.lagging(uid);
    if (connecting && this.waitForSenders) gids = [...new Set([...gids, ...(await this.timeline.lazyGroupsOf(uid))])].sort();
    if (gids.length === 0) return;
    await this.heads.ensureRows([uid]);
    for (let more = true; more; ) {
      more = await this.withRetry(() => this.catchUpChunk(uid, gids));
    }
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
        await this.withRetry(() => this.commit(batch));
      } catch (err) {
        this.log.error({ err }, 'message batch failed');
        for (const job of batch) job.reject(new FscError('SERVER_ERROR', undefined, undefined, { cause: err }));
      }
    }
    this.running = false;
  }

  /** Lock waits between writers can end in a deadlock or a duplicate seq on MySQL; the work is then redone. */
  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !this.dialect.isTransientConflict(err)) throw err;
        this.log.warn({ attempt }, 'message write conflicted with another writer; retrying');
      }
    }
  }

  private async commit(batch: Job[]): Promise<void> {
    const posts = batch.flatMap((job) => (job.timeline ? [job.timeline] : []));
    const eagerReceivers = batch.flatMap((job) => job.receivers);
    const gids = [...new Set(posts.map((p) => p.gid))];
    const membersOf = groupMembers(posts);
    const everyone = membersOf.size === 1 ? [...membersOf.values().next().value!] : [...new Set([...membersOf.values()].flatMap((m) => [...m]))];
    await this.heads.ensureRows(eagerReceivers);
    await this.heads.ensureRows(everyone);
    await this.timeline.ensureHeads(gids);
    let written: Map<string, bigint> | undefined;
    const results = await this.db.transaction().execute(async (trx) => {
      const groupHeads = gids.length > 0 ? await this.timeline.lockHeads(trx, gids, 'update') : new Map<string, bigint>();
      const { takers, backfill, behind } = gids.length > 0 ? await this.takers(trx, membersOf, everyone, groupHeads) : NO_TAKERS;
      for (const job of batch) {
        const post = job.timeline;
        if (!post) continue;
        job.receivers = [...takers.get(post.gid)!].filter((uid) => post.members.has(uid) && (!post.targets || post.targets.has(uid)));
      }

      const heads = await this.heads.lock(trx, [...new Set([...batch.flatMap((job) => job.receivers), ...backfill.keys()])]);
      const inboxRows: { uid: string; seq: string; mid: string }[] = [];
      for (const [uid, mids] of backfill) {
        let seq = heads.get(uid)!;
        for (const mid of mids) {
          seq += 1n;
          inboxRows.push({ uid, seq: seq.toString(), mid });
        }
        heads.set(uid, seq);
      }
      const timelineRows: { gid: string; gseq: bigint; mid: string }[] = [];
      const perJob: Map<string, string>[] = [];
      for (const job of batch) {
        if (job.timeline) {
          const gseq = groupHeads.get(job.timeline.gid)! + 1n;
          groupHeads.set(job.timeline.gid, gseq);
          timelineRows.push({ gid: job.timeline.gid, gseq, mid: job.message.mid });
        }
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
      // a large group's rows: between chunks the loop takes other work (a request reads on its own connection)
      for (let i = 0; i < inboxRows.length; i += INSERT_CHUNK) {
        await trx.insertInto('inbox').values(inboxRows.slice(i, i + INSERT_CHUNK)).execute();
        await letOthersRun();
      }
      await this.heads.store(trx, heads);
      await letOthersRun();
      written = heads;
      if (gids.length > 0) {
        await this.timeline.append(trx, timelineRows);
        await this.timeline.storeHeads(trx, groupHeads);
        for (const [gid, uids] of takers) {
          await this.timeline.advance(trx, gid, [...uids], groupHeads.get(gid)!);
          await letOthersRun();
        }
      }
      return perJob.map((seqs, i) => {
        const post = batch[i]!.timeline;
        const late = post ? behind.get(post.gid) : undefined;
        return { seqs, behind: late ? [...late].filter((uid) => !post!.targets || post!.targets.has(uid)) : [] };
      });
    });
    if (written) this.heads.committed(written);
    if (this.recent) {
      const recent = this.recent;
      batch.forEach((job, i) => {
        if (!job.cached) return;
        const { fromClient, message } = job.cached;
        for (const [uid, seq] of results[i]!.seqs) recent.add(uid, { seq, fromClient, message });
      });
    }
    batch.forEach((job, i) => job.resolve(results[i]!));
  }

  /**
   * Per lazy group: the online members who take these posts now. Those whose inbox is behind the timeline
   * (e.g. a member cache that did not list them yet) first get what they miss (`backfill`, timeline order),
   * unless that is more than BACKFILL_LIMIT: those are `behind`, and the caller has them catch up.
   */
  private async takers(trx: Transaction<Schema>, membersOf: Map<string, Set<string>>, everyone: string[], groupHeads: Map<string, bigint>): Promise<Takers> {
    let online: Set<string>;
    try {
      online = await this.online(everyone);
    } catch (err) {
      // nobody may miss a message for it: fill every member's inbox, as for a small group
      this.log.warn({ err }, 'online members unknown; lazy group messages go to every inbox');
      online = new Set(everyone);
    }
    const takers = new Map<string, Set<string>>();
    const backfill = new Map<string, string[]>();
    const behind = new Map<string, Set<string>>();
    for (const [gid, members] of membersOf) {
      const head = groupHeads.get(gid)!;
      const set = new Set<string>();
      takers.set(gid, set);
      const laggers: [string, bigint][] = [];
      const onlineMembers: string[] = [];
      for (const uid of members) if (online.has(uid)) onlineMembers.push(uid);
      for (const [uid, cursor] of await this.timeline.cursorsInGroup(trx, gid, onlineMembers)) {
        if (cursor.until !== null) continue;
        if (cursor.seq === head) set.add(uid);
        else if (head - cursor.seq <= BACKFILL_LIMIT) laggers.push([uid, cursor.seq]);
        else behind.set(gid, (behind.get(gid) ?? new Set()).add(uid));
      }
      if (laggers.length === 0) continue;
      const from = laggers.reduce((min, [, seq]) => (seq < min ? seq : min), head);
      const entries = await this.timeline.entries(trx, gid, from, head, BACKFILL_LIMIT);
      for (const [uid, seq] of laggers) {
        const mids = backfill.get(uid) ?? [];
        for (const entry of entries) if (entry.gseq > seq && entryIsFor(entry, uid)) mids.push(entry.mid);
        backfill.set(uid, mids);
        set.add(uid);
      }
    }
    return { takers, backfill, behind };
  }

  /** One transaction of a catch-up; true when entries are left for the next one. */
  private async catchUpChunk(uid: string, gids: string[]): Promise<boolean> {
    let more = false;
    let written: Map<string, bigint> | undefined;
    const added = await this.db.transaction().execute(async (trx) => {
      const groupHeads = await this.timeline.lockHeads(trx, gids, 'share');
      const heads = await this.heads.lock(trx, [uid]);
      const cursors = await this.timeline.cursorsOfMember(trx, uid, gids);
      let seq = heads.get(uid)!;
      let budget = CATCH_UP_CHUNK;
      const rows: { uid: string; seq: string; mid: string }[] = [];
      const moved: [string, bigint][] = [];
      for (const [gid, cursor] of cursors) {
        const head = groupHeads.get(gid);
        if (head === undefined) continue;
        const limit = cursorLimit(cursor, head);
        if (cursor.seq >= limit) continue;
        if (budget === 0) {
          more = true;
          break;
        }
        const entries = await this.timeline.entries(trx, gid, cursor.seq, limit, budget);
        budget -= entries.length;
        for (const entry of entries) {
          if (!entryIsFor(entry, uid)) continue;
          seq += 1n;
          rows.push({ uid, seq: seq.toString(), mid: entry.mid });
        }
        const reached = entries.at(-1)?.gseq ?? limit;
        if (reached < limit) more = true;
        moved.push([gid, reached]);
      }
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx.insertInto('inbox').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      }
      if (rows.length > 0) {
        written = new Map([[uid, seq]]);
        await this.heads.store(trx, written);
      }
      for (const [gid, reached] of moved) await this.timeline.advance(trx, gid, [uid], reached);
      return rows.length;
    });
    if (written) this.heads.committed(written);
    if (added > 0) this.log.debug({ uid, added }, 'lazy group messages caught up');
    return more;
  }
}
/** Per lazy group of a batch: its members (posts of one group normally share one cached map: no copy then). */
function groupMembers(posts: TimelinePost[]): Map<string, Set<string>> {
  const sources = new Map<string, Set<ReadonlyMap<string, number>>>();
  for (const post of posts) sources.set(post.gid, (sources.get(post.gid) ?? new Set()).add(post.members));
  const members = new Map<string, Set<string>>();
  for (const [gid, maps] of sources) {
    const set = new Set<string>();
    for (const map of maps) for (const uid of map.keys()) set.add(uid);
    members.set(gid, set);
  }
  return members;
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
