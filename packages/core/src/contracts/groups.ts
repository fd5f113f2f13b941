/** REMOVED (WildfireChat's value) appears only in incremental member lists (since > 0), so a caching client drops the member. */
export const GroupMemberType = { MEMBER: 0, MANAGER: 1, OWNER: 2, REMOVED: 4 } as const;

export interface GroupInfoDto {
  gid: string;
  name: string;
  portrait: string;
  owner: string;
  type: number;
  extra: string;
  memberCount: number;
  updatedAt: number;
  memberUpdatedAt: number;
}

export interface GroupMemberDto {
  gid: string;
  uid: string;
  alias: string;
  type: number;
  updatedAt: number;
}

export interface CreateGroupRequest {
  uid: string;
  clientId: string;
  name: string;
  portrait?: string;
  type?: number;
  extra?: string;
  /** members besides the creator, who always becomes owner */
  members: string[];
}

/** GMI types: FShareChat's 0-2, then fscpush's mute. */
export const GroupInfoField = { NAME: 0, PORTRAIT: 1, EXTRA: 2, MUTE: 3 } as const;

/**
 * Group management. Every change is announced by a stored notification message in the group
 * (104 create, 105 add, 106 kick, 107 quit, 108 dismiss, 109 transfer, 110 rename, 111 alias, 112 portrait,
 * 113 mute, 117 managers — the numbers the web client knows). Roles: owner (2) > manager (1) > member (0).
 */
export interface GroupService {
  create(req: CreateGroupRequest): Promise<{ gid: string }>;
  info(gids: string[]): Promise<GroupInfoDto[]>;
  members(req: { uid: string; gid: string; since: number }): Promise<readonly GroupMemberDto[]>;
  /** GAM: owner/manager (or any member unless the group is restricted) */
  addMembers(req: { uid: string; clientId: string; gid: string; members: string[] }): Promise<void>;
  /** GKM: owner kicks anyone but itself; a manager kicks plain members */
  kickMembers(req: { uid: string; clientId: string; gid: string; members: string[] }): Promise<void>;
  /** GQ: the owner must transfer or dismiss instead */
  quit(req: { uid: string; clientId: string; gid: string }): Promise<void>;
  /** GD: owner only */
  dismiss(req: { uid: string; clientId: string; gid: string }): Promise<void>;
  /** GMI: owner/manager */
  modify(req: { uid: string; clientId: string; gid: string; field: number; value: string }): Promise<void>;
  /** GTG: owner only; the old owner becomes a member */
  transfer(req: { uid: string; clientId: string; gid: string; newOwner: string }): Promise<void>;
  /** GMA: any member, for itself */
  setAlias(req: { uid: string; clientId: string; gid: string; alias: string }): Promise<void>;
  /** GSM: owner only */
  setManagers(req: { uid: string; clientId: string; gid: string; members: string[]; manager: boolean }): Promise<void>;
}
