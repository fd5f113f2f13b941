import type { GroupInfoDto, GroupMemberDto, MessageDto, UserDto } from '@fscpush/core';

/** Row → DTO conversions; 64-bit columns arrive as bigint (SQLite) or string (MySQL). */
export function toUserDto(row: {
  uid: string; name: string; display_name: string; portrait: string; mobile: string | null; email: string;
  address: string; company: string; social: string; extra: string; gender: number; type: number; status: number;
  updated_at: unknown;
}): UserDto {
  return {
    uid: row.uid,
    name: row.name,
    displayName: row.display_name,
    portrait: row.portrait,
    mobile: row.mobile ?? '',
    email: row.email,
    address: row.address,
    company: row.company,
    social: row.social,
    extra: row.extra,
    gender: Number(row.gender),
    type: Number(row.type),
    status: Number(row.status),
    updatedAt: Number(row.updated_at),
  };
}

export function toMessageDto(row: {
  mid: unknown; from_uid: string; conv_type: number; conv_target: string; conv_line: number; content: string;
  to_users: string; created_at: unknown;
}): MessageDto {
  const dto: MessageDto = {
    conversation: { type: Number(row.conv_type), target: row.conv_target, line: Number(row.conv_line) },
    fromUser: row.from_uid,
    content: JSON.parse(row.content),
    messageId: String(row.mid),
    serverTimestamp: Number(row.created_at),
  };
  if (row.to_users !== '') dto.to = row.to_users.split(',');
  return dto;
}

export function toGroupInfoDto(row: {
  gid: string; name: string; portrait: string; owner: string; type: number; extra: string; updated_at: unknown;
  member_updated_at: unknown;
}, memberCount: number): GroupInfoDto {
  return {
    gid: row.gid,
    name: row.name,
    portrait: row.portrait,
    owner: row.owner,
    type: Number(row.type),
    extra: row.extra,
    memberCount,
    updatedAt: Number(row.updated_at),
    memberUpdatedAt: Number(row.member_updated_at),
  };
}

export function toGroupMemberDto(row: { gid: string; uid: string; alias: string; type: number; updated_at: unknown }): GroupMemberDto {
  return { gid: row.gid, uid: row.uid, alias: row.alias, type: Number(row.type), updatedAt: Number(row.updated_at) };
}

export function conversationKey(type: number, from: string, target: string): string {
  if (type === 0) return from < target ? `p:${from}:${target}` : `p:${target}:${from}`;
  return `g:${target}`;
}
