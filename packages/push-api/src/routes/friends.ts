import { z } from 'zod';
import { Friend, PairParams, UidParams } from './schemas.ts';
import { requireUser } from './lookups.ts';
import { defineRoute, type Route } from './route.ts';

const Relation = z.object({ uid: z.string(), target: z.string(), friends: z.boolean() });
const Blacklisting = z.object({ uid: z.string(), target: z.string(), blacklisted: z.boolean() });

export const FRIEND_ROUTES: Route[] = [
  defineRoute({
    operationId: 'listFriends',
    method: 'get',
    path: '/v1/users/{uid}/friends',
    tag: 'friends',
    summary: 'List a user\'s friends and blacklist',
    description: 'Every current friend (state 0) and every user on the blacklist (blacklisted true; state 1 when not also a friend).',
    access: 'app',
    style: 'v1',
    params: UidParams,
    result: z.array(Friend),
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { params }) => {
      await requireUser(services, params.uid);
      const entries = await services.friends.list({ uid: params.uid, since: 0 });
      return entries.filter((entry) => entry.state === 0 || entry.blacklisted);
    },
  }),
  defineRoute({
    operationId: 'makeFriends',
    method: 'put',
    path: '/v1/users/{uid}/friends/{target}',
    tag: 'friends',
    summary: 'Make two users friends',
    description: 'At once, without a friend request; both friend lists change and both users\' devices are told. Already friends: nothing changes.',
    access: 'app',
    style: 'v1',
    params: PairParams,
    result: Relation,
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { params }) => {
      await requireUser(services, params.uid);
      await services.friends.befriend({ uid: params.uid, target: params.target });
      return { uid: params.uid, target: params.target, friends: true };
    },
  }),
  defineRoute({
    operationId: 'deleteFriend',
    method: 'delete',
    path: '/v1/users/{uid}/friends/{target}',
    tag: 'friends',
    summary: 'End a friendship',
    description: 'Both sides stop being friends. NOT_EXIST when they are not friends.',
    access: 'app',
    style: 'v1',
    params: PairParams,
    result: Relation,
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { params }) => {
      await requireUser(services, params.uid);
      await services.friends.delete({ uid: params.uid, target: params.target });
      return { uid: params.uid, target: params.target, friends: false };
    },
  }),
  defineRoute({
    operationId: 'blacklistUser',
    method: 'put',
    path: '/v1/users/{uid}/blacklist/{target}',
    tag: 'friends',
    summary: 'Put target on uid\'s blacklist',
    description: 'Target\'s messages to uid are then refused with BLACKLISTED. Independent of friendship.',
    access: 'app',
    style: 'v1',
    params: PairParams,
    result: Blacklisting,
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { params }) => {
      await requireUser(services, params.uid);
      await services.friends.setBlacklisted({ uid: params.uid, target: params.target, blacklisted: true });
      return { uid: params.uid, target: params.target, blacklisted: true };
    },
  }),
  defineRoute({
    operationId: 'unblacklistUser',
    method: 'delete',
    path: '/v1/users/{uid}/blacklist/{target}',
    tag: 'friends',
    summary: 'Take target off uid\'s blacklist',
    access: 'app',
    style: 'v1',
    params: PairParams,
    result: Blacklisting,
    errors: ['NOT_EXIST'],
    handle: async ({ services }, { params }) => {
      await requireUser(services, params.uid);
      await services.friends.setBlacklisted({ uid: params.uid, target: params.target, blacklisted: false });
      return { uid: params.uid, target: params.target, blacklisted: false };
    },
  }),
];
