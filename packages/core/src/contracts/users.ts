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
  /** MMI: InfoEntry types 0 display name, 1 portrait, 2 mobile (refused: login identity), 3 email, 4 address, 5 company, 6 social, 7 extra, 8 gender */
  modify(req: { uid: string; entries: { type: number; value: string }[] }): Promise<UserDto>;
  /** US: by exact mobile/uid, or name/display name containing keyword when fuzzy; 20 a page */
  search(req: { uid: string; keyword: string; fuzzy: boolean; page: number }): Promise<UserDto[]>;
  /** open API: update profile fields */
  update(uid: string, fields: Partial<Pick<UserDto, 'name' | 'displayName' | 'portrait' | 'email' | 'address' | 'company' | 'social' | 'extra' | 'gender'>>): Promise<UserDto>;
}

export const UserStatus = { NORMAL: 0, MUTED: 1, BLOCKED: 2 } as const;

/** Sender of system notifications from the open API; created by push-group at start. */
export const SYSTEM_USER_ID = 'system';
