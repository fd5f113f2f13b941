/** Friend relations as push-group serves them; versions are ms timestamps of the last change (FShareChat's update_dt heads). */
export const FriendRequestStatus = { SENT: 0, ACCEPTED: 1, REJECTED: 2 } as const;

export interface FriendDto {
  uid: string;
  alias: string;
  /** 0 friend, 1 deleted, 2 blacklisted (by the list owner) */
  state: number;
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
  /** FRUS: number of unread received requests; marks none read */
  unreadRequests(uid: string): Promise<number>;
  setAlias(req: { uid: string; target: string; alias: string }): Promise<void>;
  /** FDL: both sides stop being friends; FN to both */
  delete(req: { uid: string; target: string }): Promise<void>;
  /** BLU: add (true) or remove (false) target from uid's blacklist; a blacklisted user's sends to uid are refused (246) */
  setBlacklisted(req: { uid: string; target: string; blacklisted: boolean }): Promise<void>;
}
