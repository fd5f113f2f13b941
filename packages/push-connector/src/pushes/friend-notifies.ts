import { Signal, SubSignal, encodeInt64BE, friendNotifyToWebJson, friendRequestNotifyToWebJson } from '@fscpush/protocol';
import type { ServerPush } from './server-push.ts';

/** FRN: the user's friend requests changed, up to `version`. */
export interface FriendRequestNotify {
  kind: 'FRN';
  version: string;
}

/** FN: the user's friend list changed; its new head. */
export interface FriendNotify {
  kind: 'FN';
  head: string;
}

export const friendRequestNotify: ServerPush<FriendRequestNotify> = {
  toTcp: ({ version }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.FRN, body: encodeInt64BE(version) }),
  toWs: ({ version }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.FRN, content: friendRequestNotifyToWebJson(version) }),
};

export const friendNotify: ServerPush<FriendNotify> = {
  toTcp: ({ head }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.FN, body: encodeInt64BE(head) }),
  toWs: ({ head }) => ({ signal: Signal.PUBLISH, subSignal: SubSignal.FN, content: friendNotifyToWebJson(head) }),
};
