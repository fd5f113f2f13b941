import type { UserDto } from '@fscpush/core';
import { Proto, type User } from '@fscpush/protocol';
import { defineHandler, idList, invalid, isObject } from './handler.ts';

function userToProto(u: UserDto): User {
  return {
    uid: u.uid,
    name: u.name,
    displayName: u.displayName,
    portrait: u.portrait,
    mobile: u.mobile,
    email: u.email,
    address: u.address,
    company: u.company,
    extra: u.extra,
    updateDt: String(u.updatedAt),
    gender: u.gender,
    social: u.social,
    type: u.type,
  };
}

/** A user as the web client's UPUI and US replies carry it. */
function userToWebJson(u: UserDto) {
  return {
    uid: u.uid,
    name: u.name,
    displayName: u.displayName,
    gender: u.gender,
    portrait: u.portrait,
    mobile: u.mobile,
    email: u.email,
    address: u.address,
    company: u.company,
    social: u.social,
    extra: u.extra,
    type: u.type,
    updateDt: u.updatedAt,
  };
}

export const userInfo = defineHandler<string[], UserDto[]>({
  fromTcp: (body) => Proto.PullUserRequest.decode(body).request.map((r) => r.uid),
  fromWs: (content) => idList(content, 'UPUI content'),
  // a user's mobile is theirs: other users see the profile without it
  handle: async (ctx, uids) => (await ctx.services.users.getMany(uids)).map((u) => (u.uid === ctx.uid || u.mobile === '' ? u : { ...u, mobile: '' })),
  toTcp: (users) => Proto.PullUserResult.encode({ result: users.map((u) => ({ user: userToProto(u), code: 0 })) }),
  toWs: (users) => users.map(userToWebJson),
});

type InfoEntries = { type: number; value: string }[];

/** MMI: TCP ModifyMyInfoRequest{entry: InfoEntry[]}, WebSocket one entry {type, value}. */
export const modifyMyInfo = defineHandler<InfoEntries, UserDto>({
  ordered: true,
  fromTcp: (body) => Proto.ModifyMyInfoRequest.decode(body).entry,
  fromWs: (content) => {
    if (!isObject(content)) throw invalid('MMI content must be an object');
    const type = typeof content['type'] === 'string' && /^\d{1,2}$/.test(content['type']) ? Number(content['type']) : content['type'];
    const value = content['value'];
    if (typeof type !== 'number' || !Number.isInteger(type) || typeof value !== 'string') throw invalid('MMI needs an integer type and a string value');
    return [{ type, value }];
  },
  handle: (ctx, entries) => ctx.services.users.modify({ uid: ctx.uid, entries }),
  toTcp: () => new Uint8Array(0),
  toWs: () => ({ code: 200, message: 'success' }),
});

interface SearchInput {
  keyword: string;
  fuzzy: boolean;
  page: number;
}

/** US: 20 users a page; WebSocket replies with an array like UPUI's. */
export const searchUsers = defineHandler<SearchInput, UserDto[]>({
  fromTcp: (body) => {
    const req = Proto.SearchUserRequest.decode(body);
    return { keyword: req.keyword, fuzzy: (req.fuzzy ?? 0) !== 0, page: req.page ?? 0 };
  },
  fromWs: (content) => {
    if (!isObject(content) || typeof content['keyword'] !== 'string') throw invalid('US needs a keyword');
    const page = Number(content['page'] ?? 0);
    if (!Number.isInteger(page)) throw invalid('US page must be an integer');
    return { keyword: content['keyword'], fuzzy: Number(content['fuzzy'] ?? 0) > 0, page };
  },
  handle: (ctx, req) => ctx.services.users.search({ uid: ctx.uid, ...req }),
  toTcp: (users) => Proto.SearchUserResult.encode({ entry: users.map(userToProto) }),
  toWs: (users) => users.map(userToWebJson),
});
