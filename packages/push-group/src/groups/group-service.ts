import {
  ContentType,
  ConversationType,
  FscError,
  GroupMemberType,
  type CreateGroupRequest,
  type GroupInfoDto,
  type GroupMemberDto,
  type GroupService,
  type MessageService,
} from '@fscpush/core';
import type { GroupsRepo } from '../repos/groups-repo.ts';
import type { UsersRepo } from '../repos/users-repo.ts';
import { isValidId } from '../messages/validation.ts';

export interface GroupServiceDeps {
  groups: GroupsRepo;
  users: UsersRepo;
  messages: MessageService;
  maxMembers: number;
}

/** Group creation and reads; every change is announced by a stored notification message in the group. */
export class GroupServiceImpl implements GroupService {
  private readonly d: GroupServiceDeps;

  constructor(deps: GroupServiceDeps) {
    this.d = deps;
  }

  async create(req: CreateGroupRequest): Promise<{ gid: string }> {
    const name = typeof req.name === 'string' ? req.name.trim() : '';
    if (name === '' || name.length > 256) throw new FscError('INVALID_DATA', 'group name must be 1-256 characters');
    if (!Array.isArray(req.members) || !req.members.every(isValidId)) throw new FscError('INVALID_DATA', 'members must be user ids');
    const others = [...new Set(req.members)].filter((uid) => uid !== req.uid);
    if (others.length + 1 > this.d.maxMembers) throw new FscError('INVALID_DATA', `a group has at most ${this.d.maxMembers} members`);
    const known = await this.d.users.existing([req.uid, ...others]);
    const unknown = [req.uid, ...others].filter((uid) => !known.has(uid));
    if (unknown.length > 0) throw new FscError('NOT_EXIST', 'unknown members', { unknown });

    const gid = await this.d.groups.create({
      name,
      portrait: typeof req.portrait === 'string' ? req.portrait : '',
      owner: req.uid,
      type: Number(req.type) || 0,
      extra: typeof req.extra === 'string' ? req.extra : '',
      members: [{ uid: req.uid, type: GroupMemberType.OWNER }, ...others.map((uid) => ({ uid, type: GroupMemberType.MEMBER }))],
    });
    await this.d.messages.send({
      uid: req.uid,
      clientId: req.clientId,
      conversation: { type: ConversationType.GROUP, target: gid, line: 0 },
      content: { type: ContentType.GROUP_CREATE, data: Buffer.from(JSON.stringify({ g: gid, n: name, o: req.uid })).toString('base64') },
    });
    return { gid };
  }

  async info(gids: string[]): Promise<GroupInfoDto[]> {
    if (!Array.isArray(gids)) throw new FscError('INVALID_DATA', 'group ids expected');
    return this.d.groups.info([...new Set(gids.filter(isValidId))]);
  }

  async members(req: { uid: string; gid: string; since: number }): Promise<GroupMemberDto[]> {
    if (!isValidId(req.gid)) throw new FscError('INVALID_DATA', 'invalid group id');
    const active = await this.d.groups.activeMembers(req.gid);
    if (!active.has(req.uid)) return [];
    return this.d.groups.membersSince(req.gid, Number(req.since) || 0);
  }

  // PENDING(groups): replaced by the group management work.
  async addMembers(): Promise<void> { throw new FscError('NOT_IMPLEMENTED'); }
  async kickMembers(): Promise<void> { throw new FscError('NOT_IMPLEMENTED'); }
  async quit(): Promise<void> { throw new FscError('NOT_IMPLEMENTED'); }
  async dismiss(): Promise<void> { throw new FscError('NOT_IMPLEMENTED'); }
  async modify(): Promise<void> { throw new FscError('NOT_IMPLEMENTED'); }
  async transfer(): Promise<void> { throw new FscError('NOT_IMPLEMENTED'); }
  async setAlias(): Promise<void> { throw new FscError('NOT_IMPLEMENTED'); }
  async setManagers(): Promise<void> { throw new FscError('NOT_IMPLEMENTED'); }
}
