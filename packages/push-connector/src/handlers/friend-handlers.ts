import type { FriendDto, FriendRequestDto } from '@fscpush/core';
import { Proto, encodeInt64BE, lenientId, type FriendRequest, type JsonValue } from '@fscpush/protocol';
import { defineHandler, invalid, isObject } from './handler.ts';

/**
 * Friend sub-signals. Changes succeed with an empty TCP result and the reference's byte-result JSON over
 * WebSocket. Bodies per FSCMessage; the fscpush extensions reuse messages that are wire-identical to
 * WildfireChat's (which FShareChat's SDK derives from): FDL takes UserRequest{uid} (= IDBuf{id}), BLU takes
 * HandleFriendRequest{targetUid, status 1 add | 0 remove} (= BlackUserRequest{uid, status}).
 */
const ok = {
  ordered: true,
  toTcp: () => new Uint8Array(0),
  toWs: () => ({ code: 200, message: 'success' }),
} as const;

const NOT_FRIEND = 1;
const BLACKLISTED_STATE = 2;

function wsObject(content: JsonValue | null, what: string): { [key: string]: JsonValue } {
  if (!isObject(content)) throw invalid(`${what} content must be an object`);
  return content;
}

function wsString(value: JsonValue | undefined, what: string): string {
  if (typeof value !== 'string') throw invalid(`${what} must be a string`);
  return value;
}

function wsInt(value: JsonValue | undefined, what: string): number {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw invalid(`${what} must be an integer`);
  return n;
}

/** Version{version}; an empty body (or WebSocket null/0/junk) means "from the start". */
function tcpVersion(body: Buffer): number {
  return body.byteLength === 0 ? 0 : Number(Proto.Version.decode(body).version);
}

function wsVersion(content: JsonValue | null): number {
  return Number(lenientId(isObject(content) ? content['version'] : undefined));
}

/** The web client sends a pushed FRN version back and expects that very request: "changed at or after". */
function wsSinceIncluding(version: number): number {
  return version > 0 ? version - 1 : 0;
}

interface TargetText {
  target: string;
  text: string;
}

function tcpTargetText(body: Buffer): TargetText {
  const req = Proto.AddFriendRequest.decode(body);
  return { target: req.targetUid, text: req.reason };
}

function wsTargetText(content: JsonValue | null, what: string): TargetText {
  const req = wsObject(content, what);
  const reason = req['reason'];
  return {
    target: wsString(req['targetUserId'] ?? req['targetUid'], `${what} targetUserId`),
    text: reason === undefined || reason === null ? '' : wsString(reason, `${what} reason`),
  };
}

export const addFriendRequest = defineHandler<TargetText, void>({
  ...ok,
  fromTcp: tcpTargetText,
  fromWs: (content) => wsTargetText(content, 'FAR'),
  handle: (ctx, req) => ctx.services.friends.request({ uid: ctx.uid, target: req.target, reason: req.text }),
});

export const setFriendAlias = defineHandler<TargetText, void>({
  ...ok,
  fromTcp: tcpTargetText,
  fromWs: (content) => wsTargetText(content, 'FALS'),
  handle: (ctx, req) => ctx.services.friends.setAlias({ uid: ctx.uid, target: req.target, alias: req.text }),
});

interface TargetStatus {
  target: string;
  status: number;
}

function tcpTargetStatus(body: Buffer): TargetStatus {
  const req = Proto.HandleFriendRequest.decode(body);
  return { target: req.targetUid, status: req.status };
}

function wsTargetStatus(content: JsonValue | null, what: string): TargetStatus {
  const req = wsObject(content, what);
  return { target: wsString(req['targetUid'], `${what} targetUid`), status: wsInt(req['status'], `${what} status`) };
}

export const handleFriendRequest = defineHandler<TargetStatus, void>({
  ...ok,
  fromTcp: tcpTargetStatus,
  fromWs: (content) => wsTargetStatus(content, 'FHR'),
  handle: (ctx, req) => ctx.services.friends.handle({ uid: ctx.uid, clientId: ctx.clientId, from: req.target, status: req.status }),
});

export const blacklistUser = defineHandler<TargetStatus, void>({
  ...ok,
  fromTcp: tcpTargetStatus,
  fromWs: (content) => wsTargetStatus(content, 'BLU'),
  handle: (ctx, req) => {
    if (req.status !== 0 && req.status !== 1) throw invalid('BLU status must be 1 (add) or 0 (remove)');
    return ctx.services.friends.setBlacklisted({ uid: ctx.uid, target: req.target, blacklisted: req.status === 1 });
  },
});

export const deleteFriend = defineHandler<string, void>({
  ...ok,
  fromTcp: (body) => Proto.UserRequest.decode(body).uid,
  fromWs: (content) => wsString(wsObject(content, 'FDL')['targetUid'], 'FDL targetUid'),
  handle: (ctx, target) => ctx.services.friends.delete({ uid: ctx.uid, target }),
});

export const pullFriends = defineHandler<number, FriendDto[]>({
  fromTcp: tcpVersion,
  fromWs: wsVersion,
  handle: (ctx, since) => ctx.services.friends.list({ uid: ctx.uid, since }),
  toTcp: (friends) =>
    Proto.GetFriendsResult.encode({
      entry: friends.map((f) => ({ uid: f.uid, state: f.blacklisted ? BLACKLISTED_STATE : f.state, updateDt: String(f.updatedAt), alias: f.alias })),
    }),
  // The web client shows every entry it gets as a friend: only current friends, always an array.
  toWs: (friends) =>
    friends.filter((f) => f.state !== NOT_FRIEND).map((f) => ({ friendUid: f.uid, alias: f.alias, state: f.state, timestamp: f.updatedAt })),
});

function requestToProto(r: FriendRequestDto): FriendRequest {
  const entry: FriendRequest = { fromUid: r.from, toUid: r.target, reason: r.reason, status: r.status, updateDt: String(r.updatedAt) };
  if (r.direction === 1) entry.toReadStatus = r.readStatus;
  else entry.fromReadStatus = r.readStatus;
  return entry;
}

export const pullFriendRequests = defineHandler<number, FriendRequestDto[]>({
  fromTcp: tcpVersion,
  fromWs: (content) => wsSinceIncluding(wsVersion(content)),
  handle: (ctx, since) => ctx.services.friends.requests({ uid: ctx.uid, since }),
  toTcp: (requests) => Proto.GetFriendRequestResult.encode({ entry: requests.map(requestToProto) }),
  toWs: (requests) =>
    requests.map((r) => ({
      direction: r.direction,
      from: r.from,
      target: r.target,
      reason: r.reason,
      status: r.status,
      readStatus: r.readStatus ? 1 : 0,
      timestamp: r.updatedAt,
    })),
});

/** FRUS Version{version}: marks received requests up to `version` read; answers the number still unread. */
export const friendRequestUnread = defineHandler<number, number>({
  fromTcp: tcpVersion,
  fromWs: wsVersion,
  handle: (ctx, readUpTo) => ctx.services.friends.unreadRequests({ uid: ctx.uid, readUpTo }),
  toTcp: (count) => encodeInt64BE(count),
  toWs: (count) => ({ code: 200, message: 'success', result: count }),
});
