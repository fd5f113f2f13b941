import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { GroupInfoDto, GroupMemberDto } from '@fscpush/core';
import type { Schema } from '@fscpush/infra/store';
import { toGroupInfoDto, toGroupMemberDto } from './rows.ts';

export interface GroupRecord {
  gid: string;
  owner: string;
  mute: boolean;
  dismissed: boolean;
}

export interface NewGroup {
  name: string;
  portrait: string;
  owner: string;
  type: number;
  extra: string;
  members: { uid: string; type: number }[];
}

export class GroupsRepo {
  private readonly db: Kysely<Schema>;
  /** Active member lists, the hot path of group sends; dropped on every membership change. */
  private readonly memberCache = new Map<string, Map<string, number>>();

  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  async create(group: NewGroup): Promise<string> {
    const gid = randomBytes(8).toString('base64url');
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('groups')
        .values({ gid, name: group.name, portrait: group.portrait, owner: group.owner, type: group.type, extra: group.extra, mute: 0, dismissed: 0, created_at: now, updated_at: now, member_updated_at: now })
        .execute();
      await trx
        .insertInto('group_members')
        .values(group.members.map((m) => ({ gid, uid: m.uid, alias: '', type: m.type, removed: 0, updated_at: now })))
        .execute();
    });
    return gid;
  }

  async record(gid: string): Promise<GroupRecord | undefined> {
    const row = await this.db.selectFrom('groups').select(['gid', 'owner', 'mute', 'dismissed']).where('gid', '=', gid).executeTakeFirst();
    return row && { gid: row.gid, owner: row.owner, mute: Number(row.mute) === 1, dismissed: Number(row.dismissed) === 1 };
  }

  /** uid → member type of every active member. */
  async activeMembers(gid: string): Promise<Map<string, number>> {
    const cached = this.memberCache.get(gid);
    if (cached) return cached;
    const rows = await this.db.selectFrom('group_members').select(['uid', 'type']).where('gid', '=', gid).where('removed', '=', 0).execute();
    const members = new Map(rows.map((r) => [r.uid, Number(r.type)]));
    this.memberCache.set(gid, members);
    if (this.memberCache.size > 10_000) this.memberCache.delete(this.memberCache.keys().next().value!);
    return members;
  }

  async info(gids: string[]): Promise<GroupInfoDto[]> {
    if (gids.length === 0) return [];
    const rows = await this.db.selectFrom('groups').selectAll().where('gid', 'in', gids).where('dismissed', '=', 0).execute();
    const result: GroupInfoDto[] = [];
    for (const row of rows) result.push(toGroupInfoDto(row, (await this.activeMembers(row.gid)).size));
    return result;
  }

  async membersSince(gid: string, since: number): Promise<GroupMemberDto[]> {
    const rows = await this.db
      .selectFrom('group_members')
      .select(['gid', 'uid', 'alias', 'type', 'updated_at'])
      .where('gid', '=', gid)
      .where('removed', '=', 0)
      .where('updated_at', '>', since)
      .execute();
    return rows.map(toGroupMemberDto);
  }

  invalidate(gid: string): void {
    this.memberCache.delete(gid);
  }
}
