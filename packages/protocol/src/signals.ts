/** Frame-level signal ordinals (Java `Signal.ordinal()`); the WebSocket envelope carries the names. */
export const Signal = {
  NONE: 0,
  SUB: 1,
  AUTH: 2,
  PING: 3,
  PUSH: 4,
  CONTACT: 5,
  CONNECT: 6,
  CONNECT_ACK: 7,
  DISCONNECT: 8,
  PUBLISH: 9,
  PUB_ACK: 10,
} as const;

export type SignalName = keyof typeof Signal;
export type Signal = (typeof Signal)[SignalName];

/**
 * Sub-signal ordinals (Java `SubSignal.ordinal()`). Ordinal-encoded, so new values may only be appended.
 * 34 GMURL and 35 FALS exist only in the Android jar and the web client.
 */
export const SubSignal = {
  NONE: 0,
  CONNECTION_ACCEPTED: 1,
  CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION: 2,
  CONNECTION_REFUSED_IDENTIFIER_REJECTED: 3,
  CONNECTION_REFUSED_SERVER_UNAVAILABLE: 4,
  CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD: 5,
  CONNECTION_REFUSED_NOT_AUTHORIZED: 6,
  CONNECTION_REFUSED_UNEXPECT_NODE: 7,
  CONNECTION_REFUSED_SESSION_NOT_EXIST: 8,
  US: 9,
  FAR: 10,
  UPUI: 11,
  FRN: 12,
  FRUS: 13,
  FRP: 14,
  FHR: 15,
  FP: 16,
  MN: 17,
  MS: 18,
  MP: 19,
  FN: 20,
  GC: 21,
  GPGI: 22,
  GPGM: 23,
  GAM: 24,
  GKM: 25,
  GQ: 26,
  GMI: 27,
  MMI: 28,
  GQNUT: 29,
  MR: 30,
  RMN: 31,
  LRM: 32,
  GD: 33,
  GMURL: 34,
  FALS: 35,
  // fscpush extensions (appended; FShareChat clients never send them): FShareChat's own gaps.
  /** delete a friend: WebSocket {targetUid}; TCP UserRequest{uid} (wire-identical to WildfireChat's IDBuf) */
  FDL: 36,
  /** blacklist update: WebSocket {targetUid, status: 1 add | 0 remove}; TCP HandleFriendRequest{targetUid, status} */
  BLU: 37,
  /** transfer group ownership {groupId, newOwner} */
  GTG: 38,
  /** set my alias in a group {groupId, alias} */
  GMA: 39,
  /** set or unset group managers {groupId, memberIds, isManager} */
  GSM: 40,
  /** delivery/read receipt from a client {conversation, messageUid/readTo, type} */
  MRN: 41,
  /** receipt push to the sender's devices */
  MRP: 42,
  /** message search in the user's own conversations {keyword, conversation?, page} */
  MSR: 43,
  /** unread counts per conversation */
  CUC: 44,
} as const;

export type SubSignalName = keyof typeof SubSignal;
export type SubSignal = (typeof SubSignal)[SubSignalName];

/** Ordinal → name, indexed by ordinal. */
export const SIGNAL_NAMES: readonly SignalName[] = invert(Signal);
export const SUB_SIGNAL_NAMES: readonly SubSignalName[] = invert(SubSignal);

export function isSignal(value: number): value is Signal {
  return Number.isInteger(value) && value >= 0 && value < SIGNAL_NAMES.length;
}

export function isSubSignal(value: number): value is SubSignal {
  return Number.isInteger(value) && value >= 0 && value < SUB_SIGNAL_NAMES.length;
}

export function signalName(value: number): SignalName | undefined {
  return isSignal(value) ? SIGNAL_NAMES[value] : undefined;
}

export function subSignalName(value: number): SubSignalName | undefined {
  return isSubSignal(value) ? SUB_SIGNAL_NAMES[value] : undefined;
}

export function signalFromName(name: string): Signal | undefined {
  return Object.hasOwn(Signal, name) ? Signal[name as SignalName] : undefined;
}

export function subSignalFromName(name: string): SubSignal | undefined {
  return Object.hasOwn(SubSignal, name) ? SubSignal[name as SubSignalName] : undefined;
}

/** True for the CONNECT_ACK sub-signals that refuse the connection (2..8). */
export function isConnectRefusal(subSignal: number): boolean {
  return subSignal >= SubSignal.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION
    && subSignal <= SubSignal.CONNECTION_REFUSED_SESSION_NOT_EXIST;
}

function invert<K extends string>(table: Record<K, number>): K[] {
  const names: K[] = [];
  for (const [name, ordinal] of Object.entries(table) as [K, number][]) names[ordinal] = name;
  return names;
}
