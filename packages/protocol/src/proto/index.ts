import { protoCodec } from './codec.ts';
import type { ProtoCodec } from './codec.ts';
import type * as T from './types.ts';

export type * from './types.ts';
export type { ProtoCodec } from './codec.ts';
export { FSC_PROTO_PATH, fscRoot } from './schema.ts';

type L = T.Int64Like;

function codec<Out, In>(typeName: string): ProtoCodec<Out, T.ProtoInput<In>> {
  return protoCodec(typeName);
}

/** One codec per FSCMessage type: `Proto.Message.encode(msg)`, `Proto.PullMessageResult.decode(body)`. */
export const Proto = {
  ConnectAckPayload: codec<T.ConnectAckPayload, T.ConnectAckPayload<L>>('ConnectAckPayload'),
  AddFriendRequest: codec<T.AddFriendRequest, T.AddFriendRequest>('AddFriendRequest'),
  AddGroupMemberRequest: codec<T.AddGroupMemberRequest, T.AddGroupMemberRequest<L>>('AddGroupMemberRequest'),
  CreateGroupRequest: codec<T.CreateGroupRequest, T.CreateGroupRequest<L>>('CreateGroupRequest'),
  DismissGroupRequest: codec<T.DismissGroupRequest, T.DismissGroupRequest>('DismissGroupRequest'),
  PullUserRequest: codec<T.PullUserRequest, T.PullUserRequest<L>>('PullUserRequest'),
  UserRequest: codec<T.UserRequest, T.UserRequest<L>>('UserRequest'),
  PullGroupMemberRequest: codec<T.PullGroupMemberRequest, T.PullGroupMemberRequest<L>>('PullGroupMemberRequest'),
  HandleFriendRequest: codec<T.HandleFriendRequest, T.HandleFriendRequest>('HandleFriendRequest'),
  RemoveGroupMemberRequest: codec<T.RemoveGroupMemberRequest, T.RemoveGroupMemberRequest>('RemoveGroupMemberRequest'),
  ModifyGroupInfoRequest: codec<T.ModifyGroupInfoRequest, T.ModifyGroupInfoRequest>('ModifyGroupInfoRequest'),
  QuitGroupRequest: codec<T.QuitGroupRequest, T.QuitGroupRequest>('QuitGroupRequest'),
  ModifyMyInfoRequest: codec<T.ModifyMyInfoRequest, T.ModifyMyInfoRequest>('ModifyMyInfoRequest'),
  InfoEntry: codec<T.InfoEntry, T.InfoEntry>('InfoEntry'),
  SearchUserRequest: codec<T.SearchUserRequest, T.SearchUserRequest>('SearchUserRequest'),
  INT64Buf: codec<T.Int64Buf, T.Int64Buf<L>>('INT64Buf'),
  PullMessageRequest: codec<T.PullMessageRequest, T.PullMessageRequest<L>>('PullMessageRequest'),
  PullMessageResult: codec<T.PullMessageResult, T.PullMessageResult<L>>('PullMessageResult'),
  PullGroupInfoResult: codec<T.PullGroupInfoResult, T.PullGroupInfoResult<L>>('PullGroupInfoResult'),
  PullGroupMemberResult: codec<T.PullGroupMemberResult, T.PullGroupMemberResult<L>>('PullGroupMemberResult'),
  Message: codec<T.Message, T.Message<L>>('Message'),
  LoadRemoteMessages: codec<T.LoadRemoteMessages, T.LoadRemoteMessages<L>>('LoadRemoteMessages'),
  Conversation: codec<T.Conversation, T.Conversation>('Conversation'),
  Version: codec<T.Version, T.Version<L>>('Version'),
  Group: codec<T.Group, T.Group<L>>('Group'),
  GroupInfo: codec<T.GroupInfo, T.GroupInfo<L>>('GroupInfo'),
  GroupMember: codec<T.GroupMember, T.GroupMember<L>>('GroupMember'),
  MessageContent: codec<T.MessageContent, T.MessageContent>('MessageContent'),
  SearchUserResult: codec<T.SearchUserResult, T.SearchUserResult<L>>('SearchUserResult'),
  GetUploadTokenResult: codec<T.GetUploadTokenResult, T.GetUploadTokenResult>('GetUploadTokenResult'),
  PullUserResult: codec<T.PullUserResult, T.PullUserResult<L>>('PullUserResult'),
  UserResult: codec<T.UserResult, T.UserResult<L>>('UserResult'),
  GetFriendsResult: codec<T.GetFriendsResult, T.GetFriendsResult<L>>('GetFriendsResult'),
  GetFriendRequestResult: codec<T.GetFriendRequestResult, T.GetFriendRequestResult<L>>('GetFriendRequestResult'),
  FriendRequest: codec<T.FriendRequest, T.FriendRequest<L>>('FriendRequest'),
  Friend: codec<T.Friend, T.Friend<L>>('Friend'),
  User: codec<T.User, T.User<L>>('User'),
  NotifyMessage: codec<T.NotifyMessage, T.NotifyMessage<L>>('NotifyMessage'),
  NotifyRecallMessage: codec<T.NotifyRecallMessage, T.NotifyRecallMessage<L>>('NotifyRecallMessage'),
  UserSettingEntry: codec<T.UserSettingEntry, T.UserSettingEntry<L>>('UserSettingEntry'),
  ModifyUserSettingReq: codec<T.ModifyUserSettingReq, T.ModifyUserSettingReq>('ModifyUserSettingReq'),
  GetUserSettingResult: codec<T.GetUserSettingResult, T.GetUserSettingResult<L>>('GetUserSettingResult'),
  GetMinioUploadUrlRequest: codec<T.GetMinioUploadUrlRequest, T.GetMinioUploadUrlRequest>('GetMinioUploadUrlRequest'),
  GetMinioUploadUrlResult: codec<T.GetMinioUploadUrlResult, T.GetMinioUploadUrlResult>('GetMinioUploadUrlResult'),
} as const;

export type ProtoTypeName = keyof typeof Proto;
