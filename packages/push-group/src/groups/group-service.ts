import {
  ContentType,
  FscError,
  GroupMemberType,
  type CreateGroupRequest,
  type GroupInfoDto,
  type GroupMemberDto,
  type GroupService,
} from '@fscpush/core';
import type { GroupRecord, GroupsRepo } from '../repos/groups-repo.ts';
import type { UsersRepo } from '../repos/users-repo.ts';
import { isValidId } from '../messages/validation.ts';
import { groupName, infoEdit, memberAlias, memberList, requireGroupId } from './group-input.ts';
import { announce, type NoticeSender } from './group-notices.ts';
import { KeyedSerializer } from './keyed-serializer.ts';

export interface GroupServiceDeps {
  groups: GroupsRepo;
  users: UsersRepo;
  messages: NoticeSender;
  maxMembers: number;
  /** groups with more members store each message once and fill inboxes lazily (see MessageWriter) */
  lazyAbove: number;
  /** moves what a user's lazy groups hold for them into their inbox */
  catchUp(uid: string): Promise<void>;
}

/** WildfireChat's GroupType.Restricted: only the owner and managers add members. */
const RESTRICTED_GROUP_TYPE = 2;

interface Operation {
  uid: string;
  clientId: string;
  gid: string;
}

/** The group as an operation found it, inside that group's serialized section. */
interface Scene {
  group: GroupRecord;
  members: ReadonlyMap<string, number>;
  role: number;
  /** the change's version stamp: above every earlier one of this group */
  at: number;
}

/**
 * Group creation, reads and management. Changes of one group run one at a time: checks, the stored notice
 * and the write can't interleave with another change. Removals announce first, while the removed members
 * are still receivers of the group; additions and edits write first, so the notice describes stored state.
 */
export class GroupServiceImpl implements GroupService {
  private readonly d: GroupServiceDeps;
  private readonly serial = new KeyedSerializer();

  constructor(deps: GroupServiceDeps) {
    this.d = deps;
  }

  async create(req: CreateGroupRequest): Promise<{ gid: string }> {
    const name = groupName(req.name);
    if (!Array.isArray(req.members) || !req.members.every(isValidId)) throw new FscError('INVALID_DATA', 'members must be user ids');
    const others = [...new Set(req.members)].filter((uid) => uid !== req.uid);
    if (others.length + 1 > this.d.maxMembers) throw new FscError('INVALID_DATA', `a group has at most ${this.d.maxMembers} members`);
    await this.requireUsers([req.uid, ...others]);

    const gid = await this.d.groups.create({
      name,
      portrait: typeof req.portrait === 'string' ? req.portrait : '',
      owner: req.uid,
      type: Number(req.type) || 0,
      extra: typeof req.extra === 'string' ? req.extra : '',
      members: [{ uid: req.uid, type: GroupMemberType.OWNER }, ...others.map((uid) => ({ uid, type: GroupMemberType.MEMBER }))],
      lazy: others.length + 1 > this.d.lazyAbove,
    });
    await announce(this.d.messages, { uid: req.uid, gid }, ContentType.GROUP_CREATE, { n: name });
    return { gid };
  }

  async info(gids: string[]): Promise<GroupInfoDto[]> {
    if (!Array.isArray(gids)) throw new FscError('INVALID_DATA', 'group ids expected');
    return this.d.groups.info([...new Set(gids.filter(isValidId))]);
  }

  /** Empty for non-members and dismissed groups: the web client reads [] as "the group is gone". */
  async members(req: { uid: string; gid: string; since: number }): Promise<readonly GroupMemberDto[]> {
    requireGroupId(req.gid);
    const group = await this.d.groups.record(req.gid);
    if (!group || group.dismissed) return [];
    const active = await this.d.groups.activeMembers(req.gid);
    if (!active.has(req.uid)) return [];
    return this.d.groups.membersSince(req.gid, Number(req.since) || 0);
  }

  async addMembers(req: Operation & { members: string[] }): Promise<void> {
    const targets = memberList(req.members);
    await this.change(req, async ({ group, members, role, at }) => {
      if (group.type === RESTRICTED_GROUP_TYPE && role === GroupMemberType.MEMBER) throw new FscError('NO_RIGHT', 'only the owner and managers add members');
      const newcomers = targets.filter((uid) => !members.has(uid));
      await this.requireUsers(newcomers);
      if (newcomers.length === 0) return;
      if (members.size + newcomers.length > this.d.maxMembers) throw new FscError('INVALID_DATA', `a group has at most ${this.d.maxMembers} members`);
      const former = await this.d.groups.knownMembers(req.gid, newcomers);
      const revived = newcomers.filter((uid) => former.has(uid));
      // what a former member of a lazy group had not taken before leaving stays theirs
      if (group.lazy) for (const uid of revived) await this.d.catchUp(uid);
      const turnLazy = !group.lazy && members.size + newcomers.length > this.d.lazyAbove;
      await this.d.groups.addMembers(req.gid, newcomers.filter((uid) => !former.has(uid)), revived, at, turnLazy);
      await announce(this.d.messages, req, ContentType.GROUP_ADD, { ms: newcomers });
    });
  }

  async kickMembers(req: Operation & { members: string[] }): Promise<void> {
    const targets = memberList(req.members);
    await this.change(req, async ({ members, role, at }) => {
      if (role === GroupMemberType.MEMBER) throw new FscError('NO_RIGHT', 'only the owner and managers remove members');
      await this.requireUsers(targets);
      for (const uid of targets) {
        const type = members.get(uid);
        if (type === undefined) throw new FscError('NOT_IN_GROUP', 'not a member', { uid });
        if (uid === req.uid) throw new FscError('NO_RIGHT', 'quit instead of removing yourself');
        if (type === GroupMemberType.OWNER || (role === GroupMemberType.MANAGER && type !== GroupMemberType.MEMBER)) {
          throw new FscError('NO_RIGHT', 'managers remove plain members only', { uid });
        }
      }
      await announce(this.d.messages, req, ContentType.GROUP_KICK, { ms: targets });
      await this.d.groups.removeMembers(req.gid, targets, at);
    });
  }

  async quit(req: Operation): Promise<void> {
    await this.change(req, async ({ role, at }) => {
      if (role === GroupMemberType.OWNER) throw new FscError('NO_RIGHT', 'the owner transfers or dismisses the group instead');
      await announce(this.d.messages, req, ContentType.GROUP_QUIT, {});
      await this.d.groups.removeMembers(req.gid, [req.uid], at);
    });
  }

  async dismiss(req: Operation): Promise<void> {
    await this.change(req, async ({ role, at }) => {
      if (role !== GroupMemberType.OWNER) throw new FscError('NO_RIGHT', 'only the owner dismisses the group');
      await announce(this.d.messages, req, ContentType.GROUP_DISMISS, {});
      await this.d.groups.dismiss(req.gid, at);
    });
  }

  async modify(req: Operation & { field: number; value: string }): Promise<void> {
    const edit = infoEdit(req.field, req.value);
    await this.change(req, async ({ role, at }) => {
      if (role === GroupMemberType.MEMBER) throw new FscError('NO_RIGHT', 'only the owner and managers edit the group');
      await this.d.groups.updateInfo(req.gid, edit.change, at);
      if (edit.notice) await announce(this.d.messages, req, edit.notice.type, { n: edit.notice.n });
    });
  }

  async transfer(req: Operation & { newOwner: string }): Promise<void> {
    if (!isValidId(req.newOwner)) throw new FscError('INVALID_DATA', 'invalid new owner');
    await this.change(req, async ({ members, role, at }) => {
      if (role !== GroupMemberType.OWNER) throw new FscError('NO_RIGHT', 'only the owner transfers the group');
      if (req.newOwner === req.uid) throw new FscError('INVALID_DATA', 'already the owner');
      await this.requireUsers([req.newOwner]);
      if (!members.has(req.newOwner)) throw new FscError('NOT_IN_GROUP', 'the new owner is not a member');
      await this.d.groups.transferOwner(req.gid, req.uid, req.newOwner, at);
      await announce(this.d.messages, req, ContentType.GROUP_TRANSFER, { m: req.newOwner });
    });
  }

  async setAlias(req: Operation & { alias: string }): Promise<void> {
    const alias = memberAlias(req.alias);
    await this.change(req, async ({ at }) => {
      await this.d.groups.setAlias(req.gid, req.uid, alias, at);
      await announce(this.d.messages, req, ContentType.GROUP_MEMBER_ALIAS, { n: alias });
    });
  }

  async setManagers(req: Operation & { members: string[]; manager: boolean }): Promise<void> {
    const targets = memberList(req.members);
    if (typeof req.manager !== 'boolean') throw new FscError('INVALID_DATA', 'manager must be true or false');
    await this.change(req, async ({ members, role, at }) => {
      if (role !== GroupMemberType.OWNER) throw new FscError('NO_RIGHT', 'only the owner appoints managers');
      await this.requireUsers(targets);
      for (const uid of targets) {
        const type = members.get(uid);
        if (type === undefined) throw new FscError('NOT_IN_GROUP', 'not a member', { uid });
        if (type === GroupMemberType.OWNER) throw new FscError('INVALID_DATA', 'the owner is no manager');
      }
      await this.d.groups.setMemberType(req.gid, targets, req.manager ? GroupMemberType.MANAGER : GroupMemberType.MEMBER, at);
      await announce(this.d.messages, req, ContentType.GROUP_MANAGERS, { ms: targets, n: req.manager ? '1' : '0' });
    });
  }

  /** Runs a change of an existing group by one of its members, after the group's earlier changes. */
  private change(req: Operation, task: (scene: Scene) => Promise<void>): Promise<void> {
    const gid = requireGroupId(req.gid);
    return this.serial.run(gid, async () => {
      const group = await this.d.groups.record(gid);
      if (!group || group.dismissed) throw new FscError('NOT_EXIST', 'group does not exist');
      const members = await this.d.groups.activeMembers(gid);
      const role = members.get(req.uid);
      if (role === undefined) throw new FscError('NOT_IN_GROUP');
      const at = Math.max(Date.now(), group.updatedAt + 1, group.memberUpdatedAt + 1);
      await task({ group, members, role, at });
    });
  }

  private async requireUsers(uids: string[]): Promise<void> {
    if (uids.length === 0) return;
    const known = await this.d.users.existing(uids);
    const unknown = uids.filter((uid) => !known.has(uid));
    if (unknown.length > 0) throw new FscError('NOT_EXIST', 'unknown users', { unknown });
  }
}
