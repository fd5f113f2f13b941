/**
 * Decoded shapes of the FSCMessage protobuf types, camelCase as protobufjs names them.
 * `L` is the int64 representation: decimal strings when decoded, string | number | bigint accepted on encode.
 * Optional proto2 fields are absent (undefined) unless the sender set them; repeated fields are always arrays.
 */
export type Int64Like = string | number | bigint;

export interface ConnectAckPayload<L = string> {
  msgHead?: L;
  friendHead?: L;
  friendRqHead?: L;
  settingHead?: L;
  nodeAddr?: string;
  nodePort?: number;
  serverTime?: L;
}

export interface AddFriendRequest {
  targetUid: string;
  reason: string;
}

export interface AddGroupMemberRequest<L = string> {
  groupId: string;
  addedMember: GroupMember<L>[];
  toLine: number[];
  notifyContent?: MessageContent;
}

export interface CreateGroupRequest<L = string> {
  group: Group<L>;
  toLine: number[];
  notifyContent?: MessageContent;
}

export interface DismissGroupRequest {
  groupId: string;
  toLine: number[];
  notifyContent?: MessageContent;
}

export interface PullUserRequest<L = string> {
  request: UserRequest<L>[];
}

export interface UserRequest<L = string> {
  uid: string;
  updateDt?: L;
}

export interface PullGroupMemberRequest<L = string> {
  target: string;
  head: L;
}

export interface HandleFriendRequest {
  targetUid: string;
  status: number;
}

export interface RemoveGroupMemberRequest {
  groupId: string;
  removedMember: string[];
  toLine: number[];
  notifyContent?: MessageContent;
}

export interface ModifyGroupInfoRequest {
  groupId: string;
  type: number;
  value: string;
  toLine: number[];
  notifyContent?: MessageContent;
}

export interface QuitGroupRequest {
  groupId: string;
  toLine: number[];
  notifyContent?: MessageContent;
}

export interface ModifyMyInfoRequest {
  entry: InfoEntry[];
}

export interface InfoEntry {
  type: number;
  value: string;
}

export interface SearchUserRequest {
  keyword: string;
  fuzzy?: number;
  page?: number;
}

export interface Int64Buf<L = string> {
  id: L;
}

export interface PullMessageRequest<L = string> {
  id: L;
  type: number;
  delay?: L;
}

export interface PullMessageResult<L = string> {
  message: Message<L>[];
  current: L;
  head: L;
}

export interface PullGroupInfoResult<L = string> {
  info: GroupInfo<L>[];
}

export interface PullGroupMemberResult<L = string> {
  member: GroupMember<L>[];
}

export interface Message<L = string> {
  conversation: Conversation;
  fromUser: string;
  content: MessageContent;
  messageId?: L;
  serverTimestamp?: L;
  toUser?: string;
  to: string[];
}

export interface LoadRemoteMessages<L = string> {
  conversation: Conversation;
  beforeUid: L;
  count: number;
}

export interface Conversation {
  type: number;
  target: string;
  line: number;
}

export interface Version<L = string> {
  version: L;
}

export interface Group<L = string> {
  groupInfo: GroupInfo<L>;
  members: GroupMember<L>[];
}

export interface GroupInfo<L = string> {
  targetId?: string;
  name: string;
  portrait?: string;
  owner?: string;
  type: number;
  memberCount?: number;
  extra?: string;
  updateDt?: L;
  memberUpdateDt?: L;
}

export interface GroupMember<L = string> {
  memberId: string;
  alias?: string;
  type: number;
  updateDt?: L;
}

export interface MessageContent {
  type: number;
  searchableContent?: string;
  pushContent?: string;
  content?: string;
  /** Decoded as a Buffer that owns its memory (copied out of the frame). */
  data?: Uint8Array;
  mediaType?: number;
  remoteMediaUrl?: string;
  persistFlag?: number;
  expireDuration?: number;
  mentionedType?: number;
  mentionedTarget: string[];
}

export interface SearchUserResult<L = string> {
  entry: User<L>[];
}

export interface GetUploadTokenResult {
  domain: string;
  token: string;
  server: string;
  port?: number;
}

export interface PullUserResult<L = string> {
  result: UserResult<L>[];
}

export interface UserResult<L = string> {
  user: User<L>;
  code: number;
}

export interface GetFriendsResult<L = string> {
  entry: Friend<L>[];
}

export interface GetFriendRequestResult<L = string> {
  entry: FriendRequest<L>[];
}

export interface FriendRequest<L = string> {
  fromUid?: string;
  toUid: string;
  reason: string;
  status?: number;
  updateDt?: L;
  fromReadStatus?: boolean;
  toReadStatus?: boolean;
}

export interface Friend<L = string> {
  uid: string;
  state: number;
  updateDt: L;
  alias?: string;
}

export interface User<L = string> {
  uid: string;
  name?: string;
  displayName?: string;
  portrait?: string;
  mobile?: string;
  email?: string;
  address?: string;
  company?: string;
  extra?: string;
  updateDt?: L;
  gender?: number;
  social?: string;
  type?: number;
}

export interface NotifyMessage<L = string> {
  type: number;
  head: L;
  target?: string;
}

export interface NotifyRecallMessage<L = string> {
  id: L;
  fromUser: string;
}

export interface UserSettingEntry<L = string> {
  scope: number;
  key: string;
  value: string;
  updateDt: L;
}

export interface ModifyUserSettingReq {
  scope: number;
  key: string;
  value: string;
}

export interface GetUserSettingResult<L = string> {
  entry: UserSettingEntry<L>[];
}

export interface GetMinioUploadUrlRequest {
  mediaType: number;
  key: string;
}

export interface GetMinioUploadUrlResult {
  domain: string;
  server?: string;
  port?: number;
  url: string;
}

/** Encode input: like T but repeated fields may be omitted and arrays may be readonly. */
export type ProtoInput<T> = T extends Uint8Array
  ? Uint8Array
  : T extends readonly (infer E)[]
    ? readonly ProtoInput<E>[]
    : T extends object
      ? OptionalArrays<{ [K in keyof T]: ProtoInput<T[K]> }>
      : T;

type ArrayKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends readonly unknown[] ? K : never }[keyof T];
type OptionalArrays<T> = Omit<T, ArrayKeys<T>> & Partial<Pick<T, ArrayKeys<T>>>;
