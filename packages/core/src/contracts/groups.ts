export const GroupMemberType = { MEMBER: 0, MANAGER: 1, OWNER: 2 } as const;

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

export interface GroupService {
  create(req: CreateGroupRequest): Promise<{ gid: string }>;
  info(gids: string[]): Promise<GroupInfoDto[]>;
  members(req: { uid: string; gid: string; since: number }): Promise<GroupMemberDto[]>;
}
