import { encodeLoginToken, generateDbSecret, generateSessionSecret, type UserTokenCodec } from '@fscpush/protocol';
import { FscError, requireMobile, type Logger } from '@fscpush/core';
import type { SessionsRepo } from '../repos/sessions-repo.ts';
import type { UsersRepo } from '../repos/users-repo.ts';
import type { AbuseLimits } from './abuse-limits.ts';
import type { SmsProvider } from './sms-provider.ts';
import type { VerificationCodes } from './verification-codes.ts';

const CLIENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

export interface LoginResult {
  userId: string;
  token: string;
  register: boolean;
}

export interface LoginServiceDeps {
  users: UsersRepo;
  sessions: SessionsRepo;
  codes: VerificationCodes;
  limits: AbuseLimits;
  sms: SmsProvider;
  tokens: UserTokenCodec;
  log: Logger;
}

/** SMS-code login with FShareChat's token scheme; a new mobile is registered on its first login. */
export class LoginService {
  private readonly d: LoginServiceDeps;

  constructor(deps: LoginServiceDeps) {
    this.d = deps;
  }

  /** `address` is the client's (X-Forwarded-For from a trusted proxy), for the per-address limits. */
  async sendCode(mobile: unknown, address: string): Promise<void> {
    const valid = requireMobile(mobile);
    await this.d.limits.countCodeRequest(address);
    const code = await this.d.codes.issue(valid);
    await this.d.sms.send(valid, code);
  }

  async login(mobile: unknown, code: unknown, clientId: unknown, address: string, platform = 0): Promise<LoginResult> {
    await this.d.limits.checkLogin(address);
    const valid = requireMobile(mobile);
    if (typeof clientId !== 'string' || !CLIENT_ID_PATTERN.test(clientId)) throw new FscError('INVALID_DATA', 'clientId missing or invalid');
    try {
      if (typeof code !== 'string' || !/^\d{4,8}$/.test(code)) throw new FscError('CODE_WRONG');
      await this.d.codes.consume(valid, code);
    } catch (err) {
      await this.d.limits.countLoginFailure(address);
      throw err;
    }

    let register = false;
    let user = await this.d.users.byMobile(valid);
    if (!user) {
      try {
        user = await this.d.users.create({ mobile: valid });
        register = true;
      } catch (err) {
        user = await this.d.users.byMobile(valid);
        if (!user) throw err;
      }
    }
    if (user.status === 2) throw new FscError('NO_RIGHT', 'account is blocked');
    const secret = generateSessionSecret();
    const dbSecret = generateDbSecret();
    await this.d.sessions.upsert({ uid: user.uid, clientId, secret, dbSecret }, platform);
    const token = encodeLoginToken({ userToken: this.d.tokens.issue(user.uid), sessionSecret: secret, dbSecret });
    this.d.log.info({ uid: user.uid, clientId, register }, 'login');
    return { userId: user.uid, token, register };
  }
}
