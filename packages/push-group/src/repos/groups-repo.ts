import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { GroupMemberType, type GroupInfoDto, type GroupMemberDto } from '@fscpush/core';
import type { Schema } from '../store/index.ts';
import type { GroupTimeline } from './group-timeline.ts';
import type { GroupMemberCache } from './group-member-cache.ts';
import { toGroupInfoDto, toGroupMemberDto } from './rows.ts';

export interface GroupRecord {
  gid: string;
  owner: string;
  type: number;
  mute: boolean;
  dismissed: boolean;
  /** messages go to the group's timeline; inboxes take them when their owner is online */
  lazy: boolean;
  updatedAt: number;
  memberUpdatedAt: number;
}

export interface NewGroup {
  name: string;
  portrait: string;
  owner: string;
  type: number;
  extra: string;
  members: { uid: string; type: number }[];
  /** a large group: lazy inboxes from the start */
  lazy: boolean;
}

export interface GroupInfoChange {
  name?: string;
  portrait?: string;
  extra?: string;
  mute?: boolean;
}

/**
 * Groups and their members. Every change takes a stamp `at` (ms) from the caller, greater than the group's
 * previous stamps, and writes it to the changed member rows and the group's heads, so clients syncing by
 * version see each change. Removed members keep their row (removed = 1) for incremental member lists.
 */
export class GroupsRepo {
  private readonly db: Kysely<Schema>;
  private readonly reads: Kysely<Schema>;
  /** active member lists, the hot path of group sends; invalidated cluster-wide after every change */
  private readonly members: GroupMemberCache;
  private readonly timeline: GroupTimeline;

  /** `reads`: for what clients ask about groups (Store.reads) */
  constructor(db: Kysely<Schema>, members: GroupMemberCache, timeline: GroupTimeline, reads: Kysely<Schema> = db) {
    this.db = db;
    this.reads = reads;
    this.members = members;
    this.timeline = timeline;
  }

  async create(group: NewGroup): Promise<string> {
    const gid = randomBytes(8).toString('base64url');
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('groups')
        .values({ gid, name: group.name, portrait: group.portrait, owner: group.owner, type: group.type, extra: group.extra, mute: 0, dismissed: 0, lazy: group.lazy ? 1 : 0, created_at: now, updated_at: now, member_updated_at: now })
        .execute();
      if (group.lazy) await this.timeline.create(trx, gid);
      await trx
        .insertInto('group_members')
        .values(group.members.map((m) => ({ gid, uid: m.uid, alias: '', type: m.type, removed: 0, updated_at: now })))
        .execute();
    });
    return gid;
  }

  async record(gid: string): Promise<GroupRecord | undefined> {
    const row = await this.reads
      .selectFrom('groups')
      .select(['gid', 'owner', 'type', 'mute', 'dismissed', 'lazy', 'updated_at', 'member_updated_at'])
      .where('gid', '=', gid)
      .executeTakeFirst();
    return row && {
      gid: row.gid,
      owner: row.owner,
      type: Number(row.type),
      mute: Number(row.mute) === 1,
      dismissed: Number(row.dismissed) === 1,
      lazy: Number(row.lazy) === 1,
      updatedAt: Number(row.updated_at),
      memberUpdatedAt: Number(row.member_updated_at),
    };
  }

  /** uid → member type of every active member. The map is shared: callers must not change it. */
  async activeMembers(gid: string): Promise<Map<string, number>> {
    return this.members.get(gid, async () => {
      const rows = await this.db.selectFrom('group_members').select(['uid', 'type']).where('gid', '=', gid).where('removed', '=', 0).execute();
      return new Map(rows.map((r) => [r.uid, Number(r.type)]));
    });
  }

  async info(gids: string[]): Promise<GroupInfoDto[]> {
    if (gids.length === 0) return [];
    const rows = await this.reads.selectFrom('groups').selectAll().where('gid', 'in', gids).where('dismissed', '=', 0).execute();
    const result: GroupInfoDto[] = [];
    for (const row of rows) result.push(toGroupInfoDto(row, (await this.activeMembers(row.gid)).size));
    return result;
  }

  /** since 0: the active members (cached like the member map). since > 0: members changed after it, removed ones with type REMOVED. */
  async membersSince(gid: string, since: number): Promise<readonly GroupMemberDto[]> {
    const query = this.reads.selectFrom('group_members').select(['gid', 'uid', 'alias', 'type', 'removed', 'updated_at']).where('gid', '=', gid);
    if (since <= 0) {
      return this.members.roster(gid, async () => {
        const rows = await query.where('removed', '=', 0).orderBy('updated_at', 'asc').execute();
        return rows.map(toGroupMemberDto);
      });
    }
    const rows = await query.where('updated_at', '>', since).orderBy('updated_at', 'asc').execute();
    return rows.map((row) => (Number(row.removed) === 1 ? { ...toGroupMemberDto(row), type: GroupMemberType.REMOVED } : toGroupMemberDto(row)));
  }

  /** Which of `uids` ever were members (removed or not): re-adding one revives its row. */
  async knownMembers(gid: string, uids: string[]): Promise<Set<string>> {
    if (uids.length === 0) return new Set();
    const rows = await this.db.selectFrom('group_members').select('uid').where('gid', '=', gid).where('uid', 'in', uids).execute();
    return new Set(rows.map((r) => r.uid));
  }

  /**
   * New members join as plain members with no alias; `revive` are former members whose rows exist.
   * `turnLazy`: from now on the group's messages go to its timeline. In a lazy group members start at the
   * timeline's head: they get what is sent after they joined.
   */
  async addMembers(gid: string, fresh: string[], revive: string[], at: number, turnLazy = false): Promise<void> {
    await this.change(gid, async (trx) => {
      if (turnLazy) {
        await trx.updateTable('groups').set({ lazy: 1 }).where('gid', '=', gid).execute();
        await this.timeline.create(trx, gid);
      }
      const head = await this.lockedTimelineHead(trx, gid);
      const start = { tl_seq: (head ?? 0n).toString(), tl_until: null };
      if (fresh.length > 0) {
        await trx
          .insertInto('group_members')
          .values(fresh.map((uid) => ({ gid, uid, alias: '', type: GroupMemberType.MEMBER, removed: 0, updated_at: at, ...start })))
          .execute();
      }
      if (revive.length > 0) {
        await trx
          .updateTable('group_members')
          .set({ alias: '', type: GroupMemberType.MEMBER, removed: 0, updated_at: at, ...start })
          .where('gid', '=', gid)
          .where('uid', 'in', revive)
          .execute();
      }
      await trx.updateTable('groups').set({ updated_at: at, member_updated_at: at }).where('gid', '=', gid).execute();
    });
  }

  /** In a lazy group, removed members still catch up on what was sent before they left (up to tl_until). */
  async removeMembers(gid: string, uids: string[], at: number): Promise<void> {
    await this.change(gid, async (trx) => {
      const head = await this.lockedTimelineHead(trx, gid);
      await trx
        .updateTable('group_members')
        .set({ removed: 1, type: GroupMemberType.MEMBER, updated_at: at, ...(head !== undefined && { tl_until: head.toString() }) })
        .where('gid', '=', gid)
        .where('uid', 'in', uids)
        .execute();
      await trx.updateTable('groups').set({ updated_at: at, member_updated_at: at }).where('gid', '=', gid).execute();
    });
  }

  /** A lazy group's timeline head, locked against senders until the membership change commits. */
  private async lockedTimelineHead(trx: Transaction<Schema>, gid: string): Promise<bigint | undefined> {
    const group = await trx.selectFrom('groups').select('lazy').where('gid', '=', gid).executeTakeFirst();
    if (!group || Number(group.lazy) !== 1) return undefined;
    return (await this.timeline.lockHeads(trx, [gid], 'update')).get(gid) ?? 0n;
  }

  async setMemberType(gid: string, uids: string[], type: number, at: number): Promise<void> {
    await this.change(gid, async (trx) => {
      await trx.updateTable('group_members').set({ type, updated_at: at }).where('gid', '=', gid).where('uid', 'in', uids).execute();
      await trx.updateTable('groups').set({ member_updated_at: at }).where('gid', '=', gid).execute();
    });
  }

  /** The new owner's row becomes OWNER, the old owner's MEMBER, and the group's owner column follows. */
  async transferOwner(gid: string, from: string, to: string, at: number): Promise<void> {
    await this.change(gid, async (trx) => {
      await trx.updateTable('group_members').set({ type: GroupMemberType.MEMBER, updated_at: at }).where('gid', '=', gid).where('uid', '=', from).execute();
      await trx.updateTable('group_members').set({ type: GroupMemberType.OWNER, updated_at: at }).where('gid', '=', gid).where('uid', '=', to).execute();
      await trx.updateTable('groups').set({ owner: to, updated_at: at, member_updated_at: at }).where('gid', '=', gid).execute();
    });
  }

  async setAlias(gid: string, uid: string, alias: string, at: number): Promise<void> {
    await this.change(gid, async (trx) => {
      await trx.updateTable('group_members').set({ alias, updated_at: at }).where('gid', '=', gid).where('uid', '=', uid).execute();
      await trx.updateTable('groups').set({ member_updated_at: at }).where('gid', '=', gid).execute();
    });
  }

  async updateInfo(gid: string, change: GroupInfoChange, at: number): Promise<void> {
    await this.change(gid, async (trx) => {
      await trx
        .updateTable('groups')
        .set({
          ...(change.name !== undefined && { name: change.name }),
          ...(change.portrait !== undefined && { portrait: change.portrait }),
          ...(change.extra !== undefined && { extra: change.extra }),
          ...(change.mute !== undefined && { mute: change.mute ? 1 : 0 }),
          updated_at: at,
        })
        .where('gid', '=', gid)
        .execute();
    });
  }

  /** Members keep their rows (history stays readable); every operation on the group is refused from now on. */
  async dismiss(gid: string, at: number): Promise<void> {
    await this.change(gid, async (trx) => {
      await trx.updateTable('groups').set({ dismissed: 1, updated_at: at, member_updated_at: at }).where('gid', '=', gid).execute();
    });
  }

  private async change(gid: string, write: (trx: Transaction<Schema>) => Promise<void>): Promise<void> {
    try {
      await this.db.transaction().execute(write);
    } finally {
      await this.members.invalidate(gid);
    }
  }
}
