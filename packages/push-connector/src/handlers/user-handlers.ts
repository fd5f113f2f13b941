import type { UserDto } from '@fscpush/core';
import { Proto, type User } from '@fscpush/protocol';
import { defineHandler, idList } from './handler.ts';

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

export const userInfo = defineHandler<string[], UserDto[]>({
  fromTcp: (body) => Proto.PullUserRequest.decode(body).request.map((r) => r.uid),
  fromWs: (content) => idList(content, 'UPUI content'),
  handle: (ctx, uids) => ctx.services.users.getMany(uids),
  toTcp: (users) => Proto.PullUserResult.encode({ result: users.map((u) => ({ user: userToProto(u), code: 0 })) }),
  toWs: (users) =>
    users.map((u) => ({
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
    })),
});
