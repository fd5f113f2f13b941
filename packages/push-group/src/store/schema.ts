import type { ColumnType, Generated } from 'kysely';

/**
 * The relational schema shared by SQLite (embedded) and MySQL/MariaDB (cluster).
 * 64-bit ids and sequences are read back as bigint or string depending on the driver: repositories
 * convert with String()/Number() and never rely on the JS type.
 */
type Int64 = ColumnType<string | number | bigint, string | number | bigint, string | number | bigint>;

export interface UserTable {
  uid: string;
  name: string;
  display_name: string;
  portrait: string;
  mobile: string | null;
  email: string;
  address: string;
  company: string;
  social: string;
  extra: string;
  gender: number;
  type: number;
  /** 0 normal, 1 muted (may not send), 2 blocked (may not log in) */
  status: number;
  created_at: Int64;
  updated_at: Int64;
}

export interface UserSessionTable {
  uid: string;
  client_id: string;
  secret: string;
  db_secret: string;
  platform: number;
  created_at: Int64;
  updated_at: Int64;
}

export interface MessageTable {
  mid: Int64;
  from_uid: string;
  /** client id of the sending device: pulls skip a device's own messages (it holds its local copy) */
  from_client: string;
  conv_type: number;
  conv_target: string;
  conv_line: number;
  /** private: p:<lower uid>:<higher uid>; group: g:<gid> — one history per conversation */
  conv_key: string;
  content_type: number;
  searchable: string;
  /** MessageContentDto as JSON */
  content: string;
  to_users: string;
  created_at: Int64;
}

export interface InboxTable {
  uid: string;
  seq: Int64;
  mid: Int64;
}

export interface InboxHeadTable {
  uid: string;
  seq: Int64;
}

export interface GroupTable {
  gid: string;
  name: string;
  portrait: string;
  owner: string;
  type: number;
  extra: string;
  mute: number;
  dismissed: number;
  /** 1: messages go to the group timeline; members' inboxes take them when online (never back to 0) */
  lazy: ColumnType<number, number | undefined, number>;
  created_at: Int64;
  updated_at: Int64;
  member_updated_at: Int64;
}

export interface GroupMemberTable {
  gid: string;
  uid: string;
  alias: string;
  /** 0 member, 1 manager, 2 owner */
  type: number;
  removed: number;
  updated_at: Int64;
  /** lazy groups: the last timeline gseq this member's inbox has taken (or skipped) */
  tl_seq: ColumnType<string | number | bigint, string | number | bigint | undefined, string | number | bigint>;
  /** lazy groups: the timeline head when the member was removed (null while a member) */
  tl_until: ColumnType<string | number | bigint | null, string | number | bigint | null | undefined, string | number | bigint | null>;
}

/** a lazy group's messages in send order */
export interface TimelineTable {
  gid: string;
  gseq: Int64;
  mid: Int64;
}

export interface TimelineHeadTable {
  gid: string;
  seq: Int64;
}

export interface FriendTable {
  uid: string;
  friend_uid: string;
  /** 0 friend, 1 deleted (2, blacklisted, only before 0002: the blacklist table holds it now) */
  state: number;
  alias: string;
  updated_at: Int64;
}

export interface FriendRequestTable {
  /** the requester */
  uid: string;
  target: string;
  reason: string;
  /** 0 sent, 1 accepted, 2 rejected */
  status: number;
  from_read: number;
  to_read: number;
  updated_at: Int64;
}

/** uid's blacklist; a removed entry stays with blacklisted 0 so incremental friend syncs see the change */
export interface BlacklistTable {
  uid: string;
  target: string;
  blacklisted: number;
  updated_at: Int64;
}

export interface PositionTable {
  uid: string;
  conv_key: string;
  mid: Int64;
  updated_at: Int64;
}

export interface KvTable {
  k: string;
  v: string;
}

/** Accounts whose mobile normalised to one another account already has (migration 0010); kept for the operator. */
export interface MobileConflictTable {
  uid: string;
  /** the account's mobile as stored, which it keeps */
  mobile: string;
  normal_mobile: string;
  /** the account that got normal_mobile */
  kept_uid: string;
  created_at: Int64;
}

export interface Schema {
  users: UserTable;
  user_sessions: UserSessionTable;
  messages: MessageTable;
  inbox: InboxTable;
  inbox_heads: InboxHeadTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  timeline: TimelineTable;
  timeline_heads: TimelineHeadTable;
  friends: FriendTable;
  friend_requests: FriendRequestTable;
  blacklist: BlacklistTable;
  kv: KvTable;
  delivered_positions: PositionTable;
  read_positions: PositionTable;
  mobile_conflicts: MobileConflictTable;
}

export type { Generated };
