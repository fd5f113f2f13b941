/** Friend relations as push-group serves them; versions are ms timestamps of the last change (FShareChat's update_dt heads). */
export const FriendRequestStatus = { SENT: 0, ACCEPTED: 1, REJECTED: 2 } as const;

export interface FriendDto {
  uid: string;
  alias: string;
  /** friendship: 0 friend, 1 not (deleted or never); the wire's Friend.state is 2 when `blacklisted` */
  state: number;
  /** on the list owner's blacklist, independent of friendship */
  blacklisted: boolean;
  updatedAt: number;
}

export interface FriendRequestDto {
  /** 0: I sent it, 1: I received it (from the reader's point of view) */
  direction: number;
  from: string;
  target: string;
  reason: string;
  status: number;
  readStatus: boolean;
  updatedAt: number;
}

export interface FriendService {
  /** FAR: new or repeated request; FRN to the target's devices. */
  request(req: { uid: string; target: string; reason: string }): Promise<void>;
  /** FHR: accept (1) or reject (2) a request received from `from`; on accept FN to both sides and a tip message. */
  handle(req: { uid: string; clientId: string; from: string; status: number }): Promise<void>;
  /** FP: entries changed after `since` (0 = all) */
  list(req: { uid: string; since: number }): Promise<FriendDto[]>;
  /** FRP: requests sent or received, changed after `since` */
  requests(req: { uid: string; since: number }): Promise<FriendRequestDto[]>;
  /**
   * FRUS: marks received requests changed at or before `readUpTo` read (0 marks none; the Android SDK sends its
   * newest request version when the list was viewed), then returns the number still unread.
   */
  unreadRequests(req: { uid: string; readUpTo: number }): Promise<number>;
  setAlias(req: { uid: string; target: string; alias: string }): Promise<void>;
  /** open API: makes the two users friends at once, without a request (a pending one between them counts as accepted); FN to both. Already friends: nothing changes. */
  befriend(req: { uid: string; target: string }): Promise<void>;
  /** FDL: both sides stop being friends; FN to both */
  delete(req: { uid: string; target: string }): Promise<void>;
  /** BLU: add (true) or remove (false) target from uid's blacklist; a blacklisted user's sends to uid are refused (246) */
  setBlacklisted(req: { uid: string; target: string; blacklisted: boolean }): Promise<void>;
}
