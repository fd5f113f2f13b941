import { APP_ROUTES } from './apps.ts';
import { FRIEND_ROUTES } from './friends.ts';
import { FSHARECHAT_ROUTES } from './fsharechat.ts';
import { GROUP_ROUTES } from './groups.ts';
import { MESSAGE_ROUTES } from './messages.ts';
import { META_ROUTES } from './meta.ts';
import type { Route } from './route.ts';
import { USER_ROUTES } from './users.ts';

/** Every route push-api serves, in documentation order. */
export const ROUTES: readonly Route[] = [...META_ROUTES, ...APP_ROUTES, ...USER_ROUTES, ...FRIEND_ROUTES, ...GROUP_ROUTES, ...MESSAGE_ROUTES, ...FSHARECHAT_ROUTES];

export const TAGS: Record<string, string> = {
  meta: 'Liveness and this document; no credentials',
  apps: 'App keys; admin secret only',
  users: 'Users, profiles, mute and block',
  friends: 'Friendship and blacklists',
  groups: 'Groups and their members',
  messages: 'Sending messages',
  fsharechat: 'FShareChat-compatible paths, answered in its RestResult shape',
};
