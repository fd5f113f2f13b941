import { ContentType, FscError, GroupInfoField } from '@fscpush/core';
import type { GroupInfoChange } from '../repos/groups-repo.ts';
import { isValidId } from '../messages/validation.ts';

/** Members one add, kick or manager change may name: keeps each notice well under the content size limit. */
export const MAX_MEMBERS_PER_REQUEST = 500;
const NAME_MAX = 256;
const PORTRAIT_MAX = 1024;
const EXTRA_MAX = 2048;
const ALIAS_MAX = 128;

export function requireGroupId(gid: unknown): string {
  if (!isValidId(gid)) throw new FscError('INVALID_DATA', 'invalid group id');
  return gid;
}

/** A non-empty list of user ids, duplicates dropped. */
export function memberList(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every(isValidId)) throw new FscError('INVALID_DATA', 'members must be user ids');
  const unique = [...new Set(value)];
  if (unique.length === 0) throw new FscError('INVALID_DATA', 'no members given');
  if (unique.length > MAX_MEMBERS_PER_REQUEST) throw new FscError('INVALID_DATA', `at most ${MAX_MEMBERS_PER_REQUEST} members per request`);
  return unique;
}

export function groupName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '' || name.length > NAME_MAX) throw new FscError('INVALID_DATA', `group name must be 1-${NAME_MAX} characters`);
  return name;
}

export function memberAlias(value: unknown): string {
  if (typeof value !== 'string') throw new FscError('INVALID_DATA', 'alias must be a string');
  const alias = value.trim();
  if (alias.length > ALIAS_MAX) throw new FscError('INVALID_DATA', `alias must be at most ${ALIAS_MAX} characters`);
  return alias;
}

export interface InfoEdit {
  change: GroupInfoChange;
  /** the notice announcing it: content type and the `n` field; extra changes are not announced (no notice type) */
  notice?: { type: number; n: string };
}

/** GMI: 0 name, 1 portrait, 2 extra, 3 mute ("1" on, "0" off). */
export function infoEdit(field: unknown, value: unknown): InfoEdit {
  if (typeof value !== 'string') throw new FscError('INVALID_DATA', 'value must be a string');
  switch (Number(field)) {
    case GroupInfoField.NAME: {
      const name = groupName(value);
      return { change: { name }, notice: { type: ContentType.GROUP_RENAME, n: name } };
    }
    case GroupInfoField.PORTRAIT:
      if (value.length > PORTRAIT_MAX) throw new FscError('INVALID_DATA', `portrait must be at most ${PORTRAIT_MAX} characters`);
      return { change: { portrait: value }, notice: { type: ContentType.GROUP_PORTRAIT, n: value } };
    case GroupInfoField.EXTRA:
      if (value.length > EXTRA_MAX) throw new FscError('INVALID_DATA', `extra must be at most ${EXTRA_MAX} characters`);
      return { change: { extra: value } };
    case GroupInfoField.MUTE:
      if (value !== '1' && value !== '0') throw new FscError('INVALID_DATA', 'mute value must be "1" or "0"');
      return { change: { mute: value === '1' }, notice: { type: ContentType.GROUP_MUTE, n: value } };
    default:
      throw new FscError('INVALID_DATA', 'unknown group info type');
  }
}
