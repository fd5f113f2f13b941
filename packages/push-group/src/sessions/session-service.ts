import { decryptConnectPassword, type UserTokenCodec } from '@fscpush/protocol';
import { UserStatus, type ConnectRequest, type ConnectResult, type DisconnectRequest, type Logger, type SessionService } from '@fscpush/core';
import type { SessionsRepo } from '../repos/sessions-repo.ts';
import type { UsersRepo } from '../repos/users-repo.ts';
import type { DeliveryPublisher } from '../messages/delivery-publisher.ts';
import type { MessageWriter } from '../messages/message-writer.ts';
import type { OnlineSessions } from './online-sessions.ts';

/** The friend list and friend request heads a CONNECT_ACK announces (the Android SDK pulls when they moved). */
export interface FriendHeads {
  heads(uid: string): Promise<{ friendHead: number; friendRqHead: number }>;
}

export interface SessionServiceDeps {
  friendHeads: FriendHeads;
  users: UsersRepo;
  sessions: SessionsRepo;
  online: OnlineSessions;
  writer: MessageWriter;
  publisher: DeliveryPublisher;
  tokens: UserTokenCodec;
  tokenTtlMs: number;
  log: Logger;
}

/**
 * CONNECT authentication, in FShareChat's order: blocked user, device session, password, token owner.
 * Every password/token failure gives the same refusal, so a client learns nothing about which check failed.
 */
export class SessionServiceImpl implements SessionService {
  private readonly d: SessionServiceDeps;

  constructor(deps: SessionServiceDeps) {
    this.d = deps;
  }

  async connect(req: ConnectRequest): Promise<ConnectResult> {
    if (typeof req.clientId !== 'string' || req.clientId === '' || req.clientId.length > 128) {
      return { ok: false, refusal: 'CONNECTION_REFUSED_IDENTIFIER_REJECTED' };
    }
    if (typeof req.userName !== 'string' || req.userName === '' || typeof req.password !== 'string') {
      return { ok: false, refusal: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD' };
    }
    const user = await this.d.users.byUid(req.userName);
    if (!user) return { ok: false, refusal: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD' };
    if (user.status === UserStatus.BLOCKED) return { ok: false, refusal: 'CONNECTION_REFUSED_IDENTIFIER_REJECTED' };
    const session = await this.d.sessions.find(user.uid, req.clientId);
    if (!session) return { ok: false, refusal: 'CONNECTION_REFUSED_SESSION_NOT_EXIST' };
    if (!this.passwordMatches(req.password, session.secret, user.uid)) {
      return { ok: false, refusal: 'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD' };
    }

    const previous = await this.d.online.register(user.uid, req.clientId, {
      node: req.node,
      connToken: req.connToken,
      transport: req.transport,
      since: Date.now(),
    });
    if (previous && previous.connToken !== req.connToken) await this.d.publisher.kick(user.uid, req.clientId, previous);
    // after the registration: sends of the user's lazy groups either see the session or are taken here
    await this.d.writer.catchUp(user.uid, true);
    const msgHead = (await this.d.writer.head(user.uid)).toString();
    const { friendHead, friendRqHead } = await this.d.friendHeads.heads(user.uid);
    return { ok: true, uid: user.uid, msgHead, friendHead: String(friendHead), friendRqHead: String(friendRqHead), settingHead: '0', serverTime: Date.now() };
  }

  async disconnect(req: DisconnectRequest): Promise<void> {
    await this.d.online.unregister(req.uid, req.clientId, req.connToken);
    if (req.clearSession) await this.d.sessions.remove(req.uid, req.clientId);
  }

  private passwordMatches(password: string, secret: string, uid: string): boolean {
    try {
      const token = this.d.tokens.verify(decryptConnectPassword(password, secret));
      return token.uid === uid && Date.now() - token.issuedAtMs <= this.d.tokenTtlMs;
    } catch {
      return false;
    }
  }
}
