import { Proto } from '@fscpush/protocol';
import type { RequestBody } from './bench-client.ts';

/**
 * The requests the Android app blocks its UI on, with the deadline after which it gives up
 * (fsharechat-protocol.md, "The Android app on the wire"): an answer later than that is a failure for the user.
 */
export const APP_DEADLINES_MS = {
  GMURL: 200,
  FRP: 200,
  UPUI: 500,
  GPGI: 500,
  GPGM: 500,
  FP: 500,
} as const;

export type AppRequestKind = keyof typeof APP_DEADLINES_MS;

export const APP_REQUEST_KINDS = Object.keys(APP_DEADLINES_MS) as AppRequestKind[];

/** What one app device asks about: itself, the users it shows, the group it opens. */
export interface AppView {
  self: string;
  /** users whose profiles it fetches (UPUI asks for these and itself, as after the FP reply) */
  users: readonly string[];
  gid: string;
}

/** Each request as the app sends it the first time it opens the screen: versions 0, whole lists. */
export function appRequestBody(kind: AppRequestKind, view: AppView, now: number): RequestBody {
  switch (kind) {
    case 'UPUI': {
      const uids = [...view.users, view.self];
      return { tcp: Proto.PullUserRequest.encode({ request: uids.map((uid) => ({ uid })) }), ws: uids };
    }
    case 'GPGI':
      return { tcp: Proto.PullUserRequest.encode({ request: [{ uid: view.gid }] }), ws: [view.gid] };
    case 'GPGM':
      return { tcp: Proto.PullGroupMemberRequest.encode({ target: view.gid, head: '0' }), ws: { groupId: view.gid, version: 0 } };
    case 'FP':
      return { tcp: Proto.Version.encode({ version: '0' }), ws: { version: 0 } };
    case 'FRP':
      return { tcp: Proto.Version.encode({ version: '0' }), ws: { version: null } };
    case 'GMURL': {
      const key = `1-${view.self}-${now}-photo.jpg`;
      return { tcp: Proto.GetMinioUploadUrlRequest.encode({ mediaType: 1, key }), ws: { mediaType: 1, key } };
    }
  }
}

/** FAR as both clients send it (sets up a pending request for FRP to return). */
export function friendRequestBody(target: string): RequestBody {
  const reason = 'bench';
  return { tcp: Proto.AddFriendRequest.encode({ targetUid: target, reason }), ws: { targetUserId: target, reason } };
}
