import { SubSignal } from '@fscpush/protocol';
import type { PublishHandler } from './handler.ts';
import { loadRemoteMessages, pullMessages, recallMessage, sendMessage } from './message-handlers.ts';
import { createGroup, groupInfo, groupMembers } from './group-handlers.ts';
import { userInfo } from './user-handlers.ts';
import { conversationUnread, messageReceipt, searchMessages } from './receipt-handlers.ts';

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
  [SubSignal.UPUI, userInfo],
  [SubSignal.MRN, messageReceipt],
  [SubSignal.MSR, searchMessages],
  [SubSignal.CUC, conversationUnread],
]);
