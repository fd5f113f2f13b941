import { randomBytes } from 'node:crypto';
import type { Expression, Kysely, SqlBool } from 'kysely';
import type { CreateUserRequest, UserDto } from '@fscpush/core';
import { FscError, defaultDisplayName } from '@fscpush/core';
import type { Schema, UserTable } from '../store/index.ts';
import { PreparedQuery } from './prepared-query.ts';
import { toUserDto } from './rows.ts';
import { TickBatcher } from './tick-batcher.ts';
import { containsIgnoringCase } from './text-match.ts';

export type ProfileColumns = Partial<Pick<UserTable, 'name' | 'display_name' | 'portrait' | 'email' | 'address' | 'company' | 'social' | 'extra' | 'gender'>>;

const UID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Random, URL-safe user ids (FShareChat uses short base62-like ids, never sequential). */
export function newUserId(): string {
  return randomBytes(8).toString('base64url');
}

export interface LookupOptions {
  /**
   * Coalesce single-user lookups of one event-loop turn into one query. Worth it where a query is a
   * network round trip (MySQL); not for SQLite, where a lookup is a cheap in-process call.
   */
  batchLookups?: boolean;
}

export class UsersRepo {
  private readonly db: Kysely<Schema>;
  private readonly reads: Kysely<Schema>;
  /** sender and receiver lookups of concurrent sends, one query per loop turn (MySQL) */
  private readonly batched: TickBatcher<string, UserDto> | undefined;
  /** on every send (the sender) and CONNECT */
  private readonly byUidQuery;
  /** on every private send (the receiver) */
  private readonly existsQuery;

  /** `reads`: for the profiles clients ask for (Store.reads) */
  constructor(db: Kysely<Schema>, options: LookupOptions = {}, reads: Kysely<Schema> = db) {
    this.db = db;
    this.reads = reads;
    this.byUidQuery = new PreparedQuery(db, (uid: string) => db.selectFrom('users').selectAll().where('uid', '=', uid));
    this.existsQuery = new PreparedQuery(db, (uid: string) => db.selectFrom('users').select('uid').where('uid', '=', uid));
    if (options.batchLookups) this.batched = new TickBatcher((uids) => this.loadMany(uids), (uid) => uid);
  }

  async byUid(uid: string): Promise<UserDto | undefined> {
    if (this.batched) return this.batched.load(uid);
    const row = await this.byUidQuery.first(uid);
    return row && toUserDto(row);
  }

  private async loadMany(uids: string[]): Promise<Map<string, UserDto>> {
    const rows = uids.length === 1 ? await this.byUidQuery.rows(uids[0]!) : await this.db.selectFrom('users').selectAll().where('uid', 'in', uids).execute();
    return new Map(rows.map((row) => [row.uid, toUserDto(row)]));
  }

  async byMobile(mobile: string): Promise<UserDto | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('mobile', '=', mobile).executeTakeFirst();
    return row && toUserDto(row);
  }

  async byName(name: string): Promise<UserDto | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toUserDto(row);
  }

  async many(uids: string[]): Promise<UserDto[]> {
    if (uids.length === 0) return [];
    const rows = await this.reads.selectFrom('users').selectAll().where('uid', 'in', uids).execute();
    return rows.map(toUserDto);
  }

  async existing(uids: string[]): Promise<Set<string>> {
    if (uids.length === 0) return new Set();
    if (uids.length === 1 && this.batched) return (await this.batched.load(uids[0]!)) ? new Set(uids) : new Set();
    if (uids.length === 1) return new Set((await this.existsQuery.rows(uids[0]!)).map((r) => r.uid));
    const rows = await this.db.selectFrom('users').select('uid').where('uid', 'in', uids).execute();
    return new Set(rows.map((r) => r.uid));
  }

  async create(req: CreateUserRequest): Promise<UserDto> {
    const uid = req.uid ?? newUserId();
    if (!UID_PATTERN.test(uid)) throw new FscError('INVALID_DATA', 'user id must be 1-64 characters of A-Z a-z 0-9 _ -');
    const now = Date.now();
    const mobile = req.mobile === undefined || req.mobile === '' ? null : req.mobile;
    try {
      await this.db
        .insertInto('users')
        .values({
          uid,
          // never the mobile: names and display names are what other users search and see
          name: req.name ?? uid,
          display_name: req.displayName ?? defaultDisplayName(),
          portrait: req.portrait ?? '',
          mobile,
          email: req.email ?? '',
          address: '',
          company: '',
          social: '',
          extra: req.extra ?? '',
          gender: req.gender ?? 0,
          type: 0,
          status: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (err) {
      if (await this.byUid(uid)) throw new FscError('INVALID_DATA', `user ${uid} already exists`);
      if (mobile && (await this.byMobile(mobile))) throw new FscError('INVALID_DATA', 'mobile already registered');
      throw err;
    }
    return (await this.byUid(uid))!;
  }

  async setStatus(uid: string, status: number): Promise<void> {
    await this.db.updateTable('users').set({ status, updated_at: Date.now() }).where('uid', '=', uid).execute();
  }

  /** False when the user does not exist. */
  async updateProfile(uid: string, columns: ProfileColumns): Promise<boolean> {
    const result = await this.db.updateTable('users').set({ ...columns, updated_at: Date.now() }).where('uid', '=', uid).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Exact uid; with `fuzzy` also name or display name containing the keyword. Never by mobile. Ordered by uid for stable pages. */
  async search(query: { keyword: string; fuzzy: boolean; offset: number; limit: number; exclude: string[] }): Promise<UserDto[]> {
    let select = this.reads.selectFrom('users').selectAll().where((eb) => {
      const matches: Expression<SqlBool>[] = [eb('uid', '=', query.keyword)];
      if (query.fuzzy) matches.push(containsIgnoringCase('name', query.keyword), containsIgnoringCase('display_name', query.keyword));
      return eb.or(matches);
    });
    if (query.exclude.length > 0) select = select.where('uid', 'not in', query.exclude);
    const rows = await select.orderBy('uid').limit(query.limit).offset(query.offset).execute();
    return rows.map(toUserDto);
  }
}

