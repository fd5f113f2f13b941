import { FscError, type UserDto } from '@fscpush/core';
import type { ProfileColumns } from '../repos/users-repo.ts';

export type ProfileField = 'name' | 'displayName' | 'portrait' | 'email' | 'address' | 'company' | 'social' | 'extra' | 'gender';
export type ProfileUpdate = Partial<Pick<UserDto, ProfileField>>;

/** Column and size of each editable text field (sizes from the users table; JS length never undercounts). */
const TEXT_FIELDS = {
  name: { column: 'name', max: 128, required: true },
  displayName: { column: 'display_name', max: 128, required: true },
  portrait: { column: 'portrait', max: 1024, required: false },
  email: { column: 'email', max: 128, required: false },
  address: { column: 'address', max: 256, required: false },
  company: { column: 'company', max: 128, required: false },
  social: { column: 'social', max: 512, required: false },
  extra: { column: 'extra', max: 2048, required: false },
} as const;

const GENDERS = new Set([0, 1, 2]);

/** MMI InfoEntry.type → field; 2 (mobile) is the login identity and is refused. */
const INFO_ENTRY_FIELDS: readonly (ProfileField | 'mobile')[] = ['displayName', 'portrait', 'mobile', 'email', 'address', 'company', 'social', 'extra', 'gender'];

/** Validates every field before anything is written: one bad field refuses the whole update. */
export function profileColumns(update: Record<string, unknown>): ProfileColumns {
  const columns: ProfileColumns = {};
  for (const [field, value] of Object.entries(update)) {
    if (value === undefined) continue;
    if (field === 'gender') {
      const gender = typeof value === 'string' && /^\d$/.test(value) ? Number(value) : value;
      if (typeof gender !== 'number' || !GENDERS.has(gender)) throw new FscError('INVALID_DATA', 'gender must be 0, 1 or 2');
      columns.gender = gender;
      continue;
    }
    if (!Object.hasOwn(TEXT_FIELDS, field)) throw new FscError('INVALID_DATA', `${field} cannot be changed`);
    const rule = TEXT_FIELDS[field as keyof typeof TEXT_FIELDS];
    if (typeof value !== 'string' || value.length > rule.max) throw new FscError('INVALID_DATA', `${field} must be a string of at most ${rule.max} characters`);
    const text = rule.required ? value.trim() : value;
    if (rule.required && text === '') throw new FscError('INVALID_DATA', `${field} must not be empty`);
    columns[rule.column] = text;
  }
  if (Object.keys(columns).length === 0) throw new FscError('INVALID_DATA', 'nothing to change');
  return columns;
}

/** MMI entries → profile update; the last entry of a type wins. */
export function infoEntriesToUpdate(entries: unknown): ProfileUpdate {
  if (!Array.isArray(entries) || entries.length === 0) throw new FscError('INVALID_DATA', 'info entries expected');
  const update: Record<string, unknown> = {};
  for (const entry of entries as { type?: unknown; value?: unknown }[]) {
    const field = typeof entry?.type === 'number' ? INFO_ENTRY_FIELDS[entry.type] : undefined;
    if (field === undefined) throw new FscError('INVALID_DATA', `unknown info type ${String(entry?.type)}`);
    if (field === 'mobile') throw new FscError('NO_RIGHT', 'the mobile number is the login identity');
    update[field] = entry.value;
  }
  return update as ProfileUpdate;
}
