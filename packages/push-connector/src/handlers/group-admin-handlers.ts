import { GroupMemberType } from '@fscpush/core';
import { Proto, type JsonValue } from '@fscpush/protocol';
import { defineHandler, idList, invalid, isObject, type RequestContext } from './handler.ts';

/**
 * Group management sub-signals. Each succeeds with an empty TCP result (error byte 0) and the reference's
 * byte-result JSON over WebSocket. Bodies per FSCMessage where FShareChat defines one; for the fscpush
 * extensions (GTG, GMA, GSM) existing messages are reused, as documented on each handler.
 */
const ok = {
  ordered: true,
  toTcp: () => new Uint8Array(0),
  toWs: () => ({ code: 200, message: 'success' }),
} as const;

interface GroupOp {
  gid: string;
}

function wsObject(content: JsonValue | null, what: string): { [key: string]: JsonValue } {
  if (!isObject(content) || typeof content['groupId'] !== 'string') throw invalid(`${what} needs groupId`);
  return content;
}

function op(ctx: RequestContext, gid: string) {
  return { uid: ctx.uid, clientId: ctx.clientId, gid };
}

export const addGroupMembers = defineHandler<GroupOp & { members: string[] }, void>({
  ...ok,
  fromTcp: (body) => {
    const req = Proto.AddGroupMemberRequest.decode(body);
    return { gid: req.groupId, members: req.addedMember.map((m) => m.memberId) };
  },
  fromWs: (content) => {
    const req = wsObject(content, 'GAM');
    const members = req['groupMembers'];
    if (!Array.isArray(members)) throw invalid('GAM needs groupMembers');
    return {
      gid: req['groupId'] as string,
      members: members.map((m) => {
        if (!isObject(m) || typeof m['memberId'] !== 'string') throw invalid('GAM groupMembers need memberId');
        return m['memberId'];
      }),
    };
  },
  handle: (ctx, req) => ctx.services.groups.addMembers({ ...op(ctx, req.gid), members: req.members }),
});

export const kickGroupMembers = defineHandler<GroupOp & { members: string[] }, void>({
  ...ok,
  fromTcp: (body) => {
    const req = Proto.RemoveGroupMemberRequest.decode(body);
    return { gid: req.groupId, members: req.removedMember };
  },
  fromWs: (content) => {
    const req = wsObject(content, 'GKM');
    return { gid: req['groupId'] as string, members: idList(req['memberIds'], 'GKM memberIds') };
  },
  handle: (ctx, req) => ctx.services.groups.kickMembers({ ...op(ctx, req.gid), members: req.members }),
});

export const quitGroup = defineHandler<GroupOp, void>({
  ...ok,
  fromTcp: (body) => ({ gid: Proto.QuitGroupRequest.decode(body).groupId }),
  fromWs: (content) => ({ gid: wsObject(content, 'GQ')['groupId'] as string }),
  handle: (ctx, req) => ctx.services.groups.quit(op(ctx, req.gid)),
});

export const dismissGroup = defineHandler<GroupOp, void>({
  ...ok,
  fromTcp: (body) => ({ gid: Proto.DismissGroupRequest.decode(body).groupId }),
  fromWs: (content) => ({ gid: wsObject(content, 'GD')['groupId'] as string }),
  handle: (ctx, req) => ctx.services.groups.dismiss(op(ctx, req.gid)),
});

export const modifyGroupInfo = defineHandler<GroupOp & { field: number; value: string }, void>({
  ...ok,
  fromTcp: (body) => {
    const req = Proto.ModifyGroupInfoRequest.decode(body);
    return { gid: req.groupId, field: req.type, value: req.value };
  },
  fromWs: (content) => {
    const req = wsObject(content, 'GMI');
    const field = Number(req['type']);
    const value = req['value'];
    if (!Number.isInteger(field)) throw invalid('GMI type must be a number');
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid('GMI value must be a string');
    return { gid: req['groupId'] as string, field, value: String(value) };
  },
  handle: (ctx, req) => ctx.services.groups.modify({ ...op(ctx, req.gid), field: req.field, value: req.value }),
});

/**
 * GTG over TCP: RemoveGroupMemberRequest{group_id, removed_member: [new owner]}. A single repeated string in
 * field 2 is the same bytes as WildfireChat's TransferGroupRequest{group_id = 1, new_owner = 2}, the shape the
 * Android jar's TransferGroupRequest most likely has (inferred).
 */
export const transferGroup = defineHandler<GroupOp & { newOwner: string }, void>({
  ...ok,
  fromTcp: (body) => {
    const req = Proto.RemoveGroupMemberRequest.decode(body);
    const [newOwner, ...rest] = req.removedMember;
    if (newOwner === undefined || rest.length > 0) throw invalid('GTG names exactly one new owner');
    return { gid: req.groupId, newOwner };
  },
  fromWs: (content) => {
    const req = wsObject(content, 'GTG');
    if (typeof req['newOwner'] !== 'string') throw invalid('GTG needs newOwner');
    return { gid: req['groupId'] as string, newOwner: req['newOwner'] };
  },
  handle: (ctx, req) => ctx.services.groups.transfer({ ...op(ctx, req.gid), newOwner: req.newOwner }),
});

/** GMA over TCP: ModifyGroupInfoRequest{group_id, type: 0 (ignored), value: the alias}. */
export const setGroupAlias = defineHandler<GroupOp & { alias: string }, void>({
  ...ok,
  fromTcp: (body) => {
    const req = Proto.ModifyGroupInfoRequest.decode(body);
    return { gid: req.groupId, alias: req.value };
  },
  fromWs: (content) => {
    const req = wsObject(content, 'GMA');
    if (typeof req['alias'] !== 'string') throw invalid('GMA needs alias');
    return { gid: req['groupId'] as string, alias: req['alias'] };
  },
  handle: (ctx, req) => ctx.services.groups.setAlias({ ...op(ctx, req.gid), alias: req.alias }),
});

/**
 * GSM over TCP: AddGroupMemberRequest{group_id, added_member: [{memberId, type}]}, each type the role to give:
 * 1 manager, 0 plain member. One request gives one role, so every entry carries the same type.
 */
export const setGroupManagers = defineHandler<GroupOp & { members: string[]; manager: boolean }, void>({
  ...ok,
  fromTcp: (body) => {
    const req = Proto.AddGroupMemberRequest.decode(body);
    const types = new Set(req.addedMember.map((m) => m.type));
    const [type, ...others] = types;
    if (others.length > 0 || (type !== GroupMemberType.MANAGER && type !== GroupMemberType.MEMBER)) {
      throw invalid('GSM entries must all have type 1 (manager) or all 0 (member)');
    }
    return { gid: req.groupId, members: req.addedMember.map((m) => m.memberId), manager: type === GroupMemberType.MANAGER };
  },
  fromWs: (content) => {
    const req = wsObject(content, 'GSM');
    const flag = req['isManager'];
    if (flag !== true && flag !== false && flag !== 1 && flag !== 0 && flag !== '1' && flag !== '0') throw invalid('GSM isManager must be true or false');
    return { gid: req['groupId'] as string, members: idList(req['memberIds'], 'GSM memberIds'), manager: flag === true || flag === 1 || flag === '1' };
  },
  handle: (ctx, req) => ctx.services.groups.setManagers({ ...op(ctx, req.gid), members: req.members, manager: req.manager }),
});
