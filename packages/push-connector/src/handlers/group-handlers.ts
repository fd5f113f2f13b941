import type { GroupInfoDto, GroupMemberDto } from '@fscpush/core';
import { Proto, lenientId, type GroupInfo, type GroupMember } from '@fscpush/protocol';
import { defineHandler, idList, invalid, isObject } from './handler.ts';

interface CreateInput {
  name: string;
  portrait: string;
  type: number;
  extra: string;
  members: string[];
}

export const createGroup = defineHandler<CreateInput, { gid: string }>({
  ordered: true,
  fromTcp: (body) => {
    const { group } = Proto.CreateGroupRequest.decode(body);
    return {
      name: group.groupInfo.name,
      portrait: group.groupInfo.portrait ?? '',
      type: group.groupInfo.type,
      extra: group.groupInfo.extra ?? '',
      members: group.members.map((m) => m.memberId),
    };
  },
  fromWs: (content) => {
    if (!isObject(content) || !isObject(content['groupInfo'])) throw invalid('GC needs groupInfo');
    const info = content['groupInfo'];
    const members = content['groupMembers'];
    if (!Array.isArray(members)) throw invalid('GC needs groupMembers');
    return {
      name: typeof info['name'] === 'string' ? info['name'] : '',
      portrait: typeof info['portrait'] === 'string' ? info['portrait'] : '',
      type: Number(info['type']) || 0,
      extra: typeof info['extra'] === 'string' ? info['extra'] : '',
      members: members.map((m) => (isObject(m) && typeof m['memberId'] === 'string' ? m['memberId'] : '')),
    };
  },
  handle: (ctx, req) => ctx.services.groups.create({ uid: ctx.uid, clientId: ctx.clientId, ...req }),
  toTcp: (res) => Buffer.from(res.gid, 'utf8'),
  toWs: (res) => ({ code: 200, message: 'success', result: res.gid }),
});

function groupInfoToProto(g: GroupInfoDto): GroupInfo {
  return {
    targetId: g.gid,
    name: g.name,
    portrait: g.portrait,
    owner: g.owner,
    type: g.type,
    memberCount: g.memberCount,
    extra: g.extra,
    updateDt: String(g.updatedAt),
    memberUpdateDt: String(g.memberUpdatedAt),
  };
}

export const groupInfo = defineHandler<string[], GroupInfoDto[]>({
  fromTcp: (body) => Proto.PullUserRequest.decode(body).request.map((r) => r.uid),
  fromWs: (content) => idList(content, 'GPGI content'),
  handle: (ctx, gids) => ctx.services.groups.info(gids),
  toTcp: (groups) => Proto.PullGroupInfoResult.encode({ info: groups.map(groupInfoToProto) }),
  toWs: (groups) =>
    groups.map((g) => ({ target: g.gid, name: g.name, portrait: g.portrait, owner: g.owner, type: g.type, memberCount: g.memberCount, extra: g.extra, updateDt: g.updatedAt })),
});

function memberToProto(m: GroupMemberDto): GroupMember {
  return { memberId: m.uid, alias: m.alias, type: m.type, updateDt: String(m.updatedAt) };
}

export const groupMembers = defineHandler<{ gid: string; since: number }, readonly GroupMemberDto[]>({
  fromTcp: (body) => {
    const req = Proto.PullGroupMemberRequest.decode(body);
    return { gid: req.target, since: Number(req.head) };
  },
  fromWs: (content) => {
    if (!isObject(content) || typeof content['groupId'] !== 'string') throw invalid('GPGM needs groupId');
    return { gid: content['groupId'], since: Number(lenientId(content['version'])) };
  },
  handle: (ctx, req) => ctx.services.groups.members({ uid: ctx.uid, ...req }),
  toTcp: (members) => Proto.PullGroupMemberResult.encode({ member: members.map(memberToProto) }),
  toWs: (members) => members.map((m) => ({ groupId: m.gid, memberId: m.uid, alias: m.alias, type: m.type, updateDt: m.updatedAt })),
});
