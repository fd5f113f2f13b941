export interface UserDto {
  uid: string;
  name: string;
  displayName: string;
  portrait: string;
  mobile: string;
  email: string;
  address: string;
  company: string;
  social: string;
  extra: string;
  gender: number;
  type: number;
  status: number;
  updatedAt: number;
}

export interface CreateUserRequest {
  uid?: string;
  name?: string;
  displayName?: string;
  portrait?: string;
  mobile?: string;
  email?: string;
  gender?: number;
  extra?: string;
}

export interface UserService {
  create(req: CreateUserRequest): Promise<UserDto>;
  get(query: { uid?: string; name?: string; mobile?: string }): Promise<UserDto | undefined>;
  getMany(uids: string[]): Promise<UserDto[]>;
  /** 0 normal, 1 muted (may not send), 2 blocked (may not log in; online devices are disconnected) */
  setStatus(uid: string, status: number): Promise<void>;
}

export const UserStatus = { NORMAL: 0, MUTED: 1, BLOCKED: 2 } as const;

/** Sender of system notifications from the open API; created by push-group at start. */
export const SYSTEM_USER_ID = 'system';
