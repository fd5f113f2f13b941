import { encodeLoginToken, generateDbSecret, generateSessionSecret, type UserTokenCodec } from '@fscpush/protocol';
import { FscError, type Logger } from '@fscpush/core';
import type { SessionsRepo } from '../repos/sessions-repo.ts';
import type { UsersRepo } from '../repos/users-repo.ts';
import type { SmsProvider } from './sms-provider.ts';
import type { VerificationCodes } from './verification-codes.ts';

const MOBILE_PATTERN = /^\+?\d{5,15}$/;
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

  async sendCode(mobile: unknown): Promise<void> {
    const valid = validMobile(mobile);
    const code = await this.d.codes.issue(valid);
    await this.d.sms.send(valid, code);
  }

  async login(mobile: unknown, code: unknown, clientId: unknown, platform = 0): Promise<LoginResult> {
    const valid = validMobile(mobile);
    if (typeof code !== 'string' || !/^\d{4,8}$/.test(code)) throw new FscError('CODE_WRONG');
    if (typeof clientId !== 'string' || !CLIENT_ID_PATTERN.test(clientId)) throw new FscError('INVALID_DATA', 'clientId missing or invalid');
    await this.d.codes.consume(valid, code);

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

function validMobile(mobile: unknown): string {
  if (typeof mobile !== 'string' || !MOBILE_PATTERN.test(mobile.trim())) throw new FscError('INVALID_MOBILE');
  return mobile.trim();
}
