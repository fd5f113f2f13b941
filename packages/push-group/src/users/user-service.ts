import { FscError, SYSTEM_USER_ID, normalMobile, requireMobile, UserStatus, type CreateUserRequest, type UserDto, type UserService } from '@fscpush/core';
import type { DeliveryPublisher } from '../messages/delivery-publisher.ts';
import type { UsersRepo } from '../repos/users-repo.ts';
import type { OnlineSessions } from '../sessions/online-sessions.ts';
import { isValidId } from '../messages/validation.ts';
import { infoEntriesToUpdate, profileColumns, type ProfileUpdate } from './profile-fields.ts';

const SEARCH_PAGE_SIZE = 20;
const MAX_PAGE = 500;
const MAX_KEYWORD = 64;

export class UserServiceImpl implements UserService {
  private readonly users: UsersRepo;
  private readonly online: OnlineSessions;
  private readonly publisher: DeliveryPublisher;

  constructor(users: UsersRepo, online: OnlineSessions, publisher: DeliveryPublisher) {
    this.users = users;
    this.online = online;
    this.publisher = publisher;
  }

  async create(req: CreateUserRequest): Promise<UserDto> {
    if (typeof req !== 'object' || req === null) throw new FscError('INVALID_DATA', 'user expected');
    for (const field of ['uid', 'name', 'displayName', 'portrait', 'mobile', 'email', 'extra'] as const) {
      const value = req[field];
      if (value !== undefined && (typeof value !== 'string' || value.length > 1024)) throw new FscError('INVALID_DATA', `${field} must be a string`);
    }
    return this.users.create(req.mobile === undefined ? req : { ...req, mobile: requireMobile(req.mobile) });
  }

  async get(query: { uid?: string; name?: string; mobile?: string }): Promise<UserDto | undefined> {
    if (typeof query.uid === 'string') return this.users.byUid(query.uid);
    if (typeof query.mobile === 'string') {
      const mobile = normalMobile(query.mobile);
      return mobile === undefined ? undefined : this.users.byMobile(mobile);
    }
    if (typeof query.name === 'string') return this.users.byName(query.name);
    throw new FscError('INVALID_DATA', 'uid, name or mobile required');
  }

  getMany(uids: string[]): Promise<UserDto[]> {
    return profilesOf(this.users, uids);
  }

  async setStatus(uid: string, status: number): Promise<void> {
    if (!Object.values(UserStatus).includes(status as never)) throw new FscError('INVALID_DATA', 'status must be 0 (normal), 1 (muted) or 2 (blocked)');
    if (!isValidId(uid) || !(await this.users.byUid(uid))) throw new FscError('NOT_EXIST', 'user does not exist');
    await this.users.setStatus(uid, status);
    if (status === UserStatus.BLOCKED) {
      for (const [clientId, session] of Object.entries(await this.online.of(uid))) await this.publisher.kick(uid, clientId, session);
    }
  }

  async modify(req: { uid: string; entries: { type: number; value: string }[] }): Promise<UserDto> {
    return this.update(req.uid, infoEntriesToUpdate(req.entries));
  }

  async search(req: { uid: string; keyword: string; fuzzy: boolean; page: number }): Promise<UserDto[]> {
    const keyword = typeof req.keyword === 'string' ? req.keyword.trim() : '';
    if (keyword === '' || keyword.length > MAX_KEYWORD) throw new FscError('INVALID_DATA', `keyword must be 1-${MAX_KEYWORD} characters`);
    const page = Number(req.page ?? 0);
    if (!Number.isInteger(page) || page < 0 || page > MAX_PAGE) throw new FscError('INVALID_DATA', `page must be 0-${MAX_PAGE}`);
    const found = await this.users.search({ keyword, fuzzy: req.fuzzy === true, offset: page * SEARCH_PAGE_SIZE, limit: SEARCH_PAGE_SIZE, exclude: [SYSTEM_USER_ID] });
    // Search must not harvest phone numbers: it never matches one and never shows one.
    return found.map(withoutMobile);
  }

  async update(uid: string, fields: ProfileUpdate): Promise<UserDto> {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new FscError('INVALID_DATA', 'profile fields expected');
    const columns = profileColumns(fields);
    if (!isValidId(uid) || !(await this.users.updateProfile(uid, columns))) throw new FscError('NOT_EXIST', 'user does not exist');
    return (await this.users.byUid(uid))!;
  }
}

function withoutMobile(user: UserDto): UserDto {
  return user.mobile === '' ? user : { ...user, mobile: '' };
}

/** UPUI: the profiles of up to 500 distinct valid ids (others are left out); reads committed rows only. */
export async function profilesOf(users: Pick<UsersRepo, 'many'>, uids: unknown): Promise<UserDto[]> {
  if (!Array.isArray(uids)) throw new FscError('INVALID_DATA', 'user ids expected');
  return users.many([...new Set(uids.filter(isValidId))].slice(0, 500));
}
