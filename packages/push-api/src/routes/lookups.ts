import { FscError, type GroupInfoDto, type UserDto } from '@fscpush/core';
import type { ApiServices } from './route.ts';

/** Reads a route needs before acting: the path's resource must exist (404 NOT_EXIST otherwise). */
export async function requireUser(services: ApiServices, uid: string): Promise<UserDto> {
  const user = await services.users.get({ uid });
  if (!user) throw new FscError('NOT_EXIST', 'user does not exist', { uid });
  return user;
}

export async function requireGroup(services: ApiServices, gid: string): Promise<GroupInfoDto> {
  const [group] = await services.groups.info([gid]);
  if (!group) throw new FscError('NOT_EXIST', 'group does not exist', { gid });
  return group;
}
