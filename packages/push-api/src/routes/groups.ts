import { z } from 'zod';
import { GidParams, GroupInfo, GroupMember, Uid, UidList } from './schemas.ts';
import { requireGroup } from './lookups.ts';
import { defineRoute, type ApiServices, type Route } from './route.ts';

const Operator = Uid.optional().describe('the member acting (its rights apply); the group owner when absent');

const MemberChange = z.strictObject({ members: UidList, operator: Operator });

/** The acting member: the given operator, else the owner. */
async function actor(services: ApiServices, gid: string, operator: string | undefined): Promise<string> {
  return operator ?? (await requireGroup(services, gid)).owner;
}

export const GROUP_ROUTES: Route[] = [
  defineRoute({
    operationId: 'createGroup',
    method: 'post',
    path: '/v1/groups',
    tag: 'groups',
    summary: 'Create a group',
    description: 'The owner and every member must exist; the group is announced by a stored notification (104) in it.',
    access: 'app',
    style: 'v1',
    body: z.strictObject({
      owner: Uid,
      name: z.string().min(1).max(256),
      portrait: z.string().max(1024).optional(),
      type: z.number().int().min(0).max(2).optional().describe('0 normal, 1 free, 2 restricted (only the owner and managers add members)'),
      extra: z.string().max(2048).optional(),
      members: z.array(Uid).max(10000).optional().describe('members besides the owner; group.max.members bounds the group'),
    }),
    result: GroupInfo,
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { body }) => {
      const { gid } = await services.groups.create({
        uid: body.owner,
        clientId: '',
        name: body.name,
        members: body.members ?? [],
        ...(body.portrait !== undefined && { portrait: body.portrait }),
        ...(body.type !== undefined && { type: body.type }),
        ...(body.extra !== undefined && { extra: body.extra }),
      });
      return requireGroup(services, gid);
    },
  }),
  defineRoute({
    operationId: 'getGroup',
    method: 'get',
    path: '/v1/groups/{gid}',
    tag: 'groups',
    summary: 'Get a group',
    description: 'A dismissed group does not exist.',
    access: 'app',
    style: 'v1',
    params: GidParams,
    result: GroupInfo,
    errors: ['NOT_EXIST'],
    handle: ({ services }, { params }) => requireGroup(services, params.gid),
  }),
  defineRoute({
    operationId: 'listGroupMembers',
    method: 'get',
    path: '/v1/groups/{gid}/members',
    tag: 'groups',
    summary: 'List a group\'s members',
    access: 'app',
    style: 'v1',
    params: GidParams,
    result: z.array(GroupMember),
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { params }) => {
      const group = await requireGroup(services, params.gid);
      return [...(await services.groups.members({ uid: group.owner, gid: group.gid, since: 0 }))];
    },
  }),
  defineRoute({
    operationId: 'addGroupMembers',
    method: 'post',
    path: '/v1/groups/{gid}/members',
    tag: 'groups',
    summary: 'Add members',
    description: 'As the operator (the owner when absent); members already in the group are skipped. Announced by notification 105.',
    access: 'app',
    style: 'v1',
    params: GidParams,
    body: MemberChange,
    result: GroupInfo,
    errors: ['NOT_EXIST', 'NOT_IN_GROUP', 'NO_RIGHT'],
    handle: async ({ services }, { params, body }) => {
      const uid = await actor(services, params.gid, body.operator);
      await services.groups.addMembers({ uid, clientId: '', gid: params.gid, members: body.members });
      return requireGroup(services, params.gid);
    },
  }),
  defineRoute({
    operationId: 'kickGroupMembers',
    method: 'post',
    path: '/v1/groups/{gid}/members/kick',
    tag: 'groups',
    summary: 'Remove members',
    description: 'As the operator (the owner when absent): the owner removes anyone but itself, a manager plain members. Announced by notification 106.',
    access: 'app',
    style: 'v1',
    params: GidParams,
    body: MemberChange,
    result: GroupInfo,
    errors: ['NOT_EXIST', 'NOT_IN_GROUP', 'NO_RIGHT'],
    handle: async ({ services }, { params, body }) => {
      const uid = await actor(services, params.gid, body.operator);
      await services.groups.kickMembers({ uid, clientId: '', gid: params.gid, members: body.members });
      return requireGroup(services, params.gid);
    },
  }),
  defineRoute({
    operationId: 'dismissGroup',
    method: 'delete',
    path: '/v1/groups/{gid}',
    tag: 'groups',
    summary: 'Dismiss a group',
    description: 'As the operator (the owner when absent; only the owner may). Announced by notification 108.',
    access: 'app',
    style: 'v1',
    params: GidParams,
    query: z.object({ operator: Operator }),
    result: z.object({ gid: z.string(), dismissed: z.literal(true) }),
    errors: ['NOT_EXIST', 'NOT_IN_GROUP', 'NO_RIGHT'],
    handle: async ({ services }, { params, query }) => {
      const uid = await actor(services, params.gid, query.operator);
      await services.groups.dismiss({ uid, clientId: '', gid: params.gid });
      return { gid: params.gid, dismissed: true as const };
    },
  }),
];
