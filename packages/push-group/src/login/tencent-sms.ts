import { Agent } from 'node:https';
import tencentcloudSms from 'tencentcloud-sdk-nodejs-sms';
import { sdkErrorCode, type VendorCall, type VendorOutcome } from './sms-provider.ts';

const SmsClient = tencentcloudSms.sms.v20210111.Client;

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  templateId: string;
  region: string;
  endpoint: string;
  /** PEM bundle the endpoint's certificate must chain to; undefined = the system's CAs */
  ca: string | undefined;
  timeoutMs: number;
}

// Codes of Tencent's per-number SendStatus (or a request error) that mean "too many for now".
const isThrottling = (code: string): boolean => code.startsWith('LimitExceeded.') || code === 'RequestLimitExceeded';

/** Tencent Cloud SMS (2021-01-11 SendSms) through Tencent's SDK, which signs with TC3-HMAC-SHA256. */
export class TencentSms implements VendorCall {
  readonly vendor = 'tencent';
  private readonly client: InstanceType<typeof SmsClient>;
  private readonly o: TencentSmsOptions;

  constructor(options: TencentSmsOptions) {
    this.o = options;
    this.client = new SmsClient({
      credential: { secretId: options.secretId, secretKey: options.secretKey },
      region: options.region,
      profile: {
        httpProfile: {
          endpoint: options.endpoint,
          reqTimeout: Math.ceil(options.timeoutMs / 1000),
          agent: new Agent({ timeout: options.timeoutMs, ...(options.ca !== undefined && { ca: options.ca }) }),
        },
      },
    });
  }

  async send(mobile: string, code: string): Promise<VendorOutcome> {
    let answer;
    try {
      answer = await this.client.SendSms({
        PhoneNumberSet: [mobile.startsWith('+') ? mobile : `+86${mobile}`],
        SmsSdkAppId: this.o.sdkAppId,
        SignName: this.o.signName,
        TemplateId: this.o.templateId,
        TemplateParamSet: [code],
      });
    } catch (err) {
      const vendorCode = sdkErrorCode(err);
      const requestId = (err as { requestId?: string }).requestId;
      return { ok: false, vendorCode, message: (err as Error).message, throttled: isThrottling(vendorCode), ...(requestId && { requestId }) };
    }
    const requestId = answer.RequestId;
    const status = answer.SendStatusSet?.[0];
    if (status?.Code === 'Ok') return { ok: true, ...(requestId && { requestId }) };
    const vendorCode = status?.Code ?? 'EmptyResponse';
    return { ok: false, vendorCode, message: status?.Message ?? '', throttled: isThrottling(vendorCode), ...(requestId && { requestId }) };
  }
}
