import type { Logger } from '@fscpush/core';

/** Delivers a verification code to a phone. Vendors (Aliyun, Tencent) implement this over HTTPS. */
export interface SmsProvider {
  readonly name: string;
  send(mobile: string, code: string): Promise<void>;
}

/** Development provider: the code goes to the server log instead of a phone. */
export class LogSmsProvider implements SmsProvider {
  readonly name = 'log';
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  async send(mobile: string, code: string): Promise<void> {
    this.log.info({ mobile, code }, 'verification code (sms.provider=log)');
  }
}
