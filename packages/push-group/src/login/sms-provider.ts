import { FscError, maskedMobile, type Logger } from '@fscpush/core';

/** Delivers a verification code to a phone (a mobile in its normal form, see normalMobile). */
export interface SmsProvider {
  readonly name: string;
  /** Throws SMS_THROTTLED when the vendor refuses more messages for now, SMS_UNAVAILABLE for any other failure. */
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

/** What a vendor answered: ok, or its own error code, and whether that code means "too many for now". */
export type VendorOutcome = { ok: true; requestId?: string } | { ok: false; vendorCode: string; message: string; throttled: boolean; requestId?: string };

/** One vendor's SDK call; VendorSms turns its outcome into fscpush's errors and logs. */
export interface VendorCall {
  readonly vendor: 'aliyun' | 'tencent';
  send(mobile: string, code: string): Promise<VendorOutcome>;
}

/**
 * A real vendor: failures are logged with the vendor's error code and a masked mobile, and reach the
 * client as SMS_THROTTLED or SMS_UNAVAILABLE — never the vendor's text.
 */
export class VendorSms implements SmsProvider {
  readonly name: string;
  private readonly call: VendorCall;
  private readonly log: Logger;

  constructor(call: VendorCall, log: Logger) {
    this.call = call;
    this.name = call.vendor;
    this.log = log;
  }

  async send(mobile: string, code: string): Promise<void> {
    let outcome: VendorOutcome;
    try {
      outcome = await this.call.send(mobile, code);
    } catch (err) {
      outcome = { ok: false, vendorCode: sdkErrorCode(err), message: err instanceof Error ? err.message : String(err), throttled: false };
    }
    const fields = { vendor: this.name, mobile: maskedMobile(mobile), requestId: outcome.requestId };
    if (outcome.ok) {
      this.log.info(fields, 'verification code sent');
      return;
    }
    this.log.warn({ ...fields, vendorCode: outcome.vendorCode, vendorMessage: redacted(outcome.message, mobile, code) }, 'verification code not sent');
    throw new FscError(outcome.throttled ? 'SMS_THROTTLED' : 'SMS_UNAVAILABLE');
  }
}

/** The vendor's error code an SDK exception carries (`code`), or NetworkError when there is none (no answer). */
export function sdkErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : 'NetworkError';
}

/** An SDK's error text may quote the request (Aliyun's names the URL with its query): no number, no code. */
function redacted(message: string, mobile: string, code: string): string {
  const digits = mobile.replace(/^\+/, '');
  return message.replace(/\?\S*/g, '?…').split(digits).join('…').split(code).join('…');
}
