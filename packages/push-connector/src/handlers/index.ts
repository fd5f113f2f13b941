import { SubSignal } from '@fscpush/protocol';
import type { PublishHandler } from './handler.ts';
import { loadRemoteMessages, pullMessages, recallMessage, sendMessage } from './message-handlers.ts';
import { createGroup, groupInfo, groupMembers } from './group-handlers.ts';
import { addGroupMembers, dismissGroup, kickGroupMembers, modifyGroupInfo, quitGroup, setGroupAlias, setGroupManagers, transferGroup } from './group-admin-handlers.ts';
import { modifyMyInfo, searchUsers, userInfo } from './user-handlers.ts';
import { addFriendRequest, blacklistUser, deleteFriend, friendRequestUnread, handleFriendRequest, pullFriendRequests, pullFriends, setFriendAlias } from './friend-handlers.ts';
import { conversationUnread, messageReceipt, searchMessages } from './receipt-handlers.ts';
import { minioUploadUrl, qiniuUploadToken } from './media-handlers.ts';

export type { PublishHandler, RequestContext, PullState } from './handler.ts';

/** PUBLISH sub-signal → handler. A sub-signal without an entry is answered NOT_IMPLEMENTED (254). */
export const PUBLISH_HANDLERS: ReadonlyMap<number, PublishHandler<unknown, unknown>> = new Map([
  [SubSignal.MS, sendMessage],
  [SubSignal.MP, pullMessages],
  [SubSignal.LRM, loadRemoteMessages],
  [SubSignal.MR, recallMessage],
  [SubSignal.GC, createGroup],
  [SubSignal.GPGI, groupInfo],
  [SubSignal.GPGM, groupMembers],
  [SubSignal.GAM, addGroupMembers],
  [SubSignal.GKM, kickGroupMembers],
  [SubSignal.GQ, quitGroup],
  [SubSignal.GD, dismissGroup],
  [SubSignal.GMI, modifyGroupInfo],
  [SubSignal.GTG, transferGroup],
  [SubSignal.GMA, setGroupAlias],
  [SubSignal.GSM, setGroupManagers],
  [SubSignal.UPUI, userInfo],
  [SubSignal.MMI, modifyMyInfo],
  [SubSignal.US, searchUsers],
  [SubSignal.FAR, addFriendRequest],
  [SubSignal.FHR, handleFriendRequest],
  [SubSignal.FRP, pullFriendRequests],
  [SubSignal.FRUS, friendRequestUnread],
  [SubSignal.FP, pullFriends],
  [SubSignal.FALS, setFriendAlias],
  [SubSignal.FDL, deleteFriend],
  [SubSignal.BLU, blacklistUser],
  [SubSignal.MRN, messageReceipt],
  [SubSignal.MSR, searchMessages],
  [SubSignal.CUC, conversationUnread],
  [SubSignal.GMURL, minioUploadUrl],
  [SubSignal.GQNUT, qiniuUploadToken],
]);
