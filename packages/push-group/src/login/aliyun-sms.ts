import dysmsapi from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { sdkErrorCode, type VendorCall, type VendorOutcome } from './sms-provider.ts';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
  /** the template variable the code fills */
  templateParam: string;
  regionId: string;
  endpoint: string;
  /** PEM bundle the endpoint's certificate must chain to; undefined = the system's CAs */
  ca: string | undefined;
  timeoutMs: number;
}

// Aliyun's SendSms answers HTTP 200 with Code OK or an isv.* code; these mean "too many for now".
const THROTTLING = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'isv.DAY_LIMIT_CONTROL', 'isv.MONTH_LIMIT_CONTROL', 'Throttling.User', 'Throttling']);

/** Aliyun SMS (dysmsapi 2017-05-25 SendSms) through Aliyun's SDK, which signs with ACS3-HMAC-SHA256. */
export class AliyunSms implements VendorCall {
  readonly vendor = 'aliyun';
  private readonly client: InstanceType<typeof dysmsapi.default>;
  private readonly o: AliyunSmsOptions;

  constructor(options: AliyunSmsOptions) {
    this.o = options;
    this.client = new dysmsapi.default(new $OpenApiUtil.Config({
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      regionId: options.regionId,
      endpoint: options.endpoint,
      protocol: 'https',
      connectTimeout: options.timeoutMs,
      readTimeout: options.timeoutMs,
      ...(options.ca !== undefined && { ca: options.ca }),
    }));
  }

  async send(mobile: string, code: string): Promise<VendorOutcome> {
    const request = new dysmsapi.SendSmsRequest({
      // mainland numbers go as their 11 digits, others as country code + number without '+'
      phoneNumbers: mobile.startsWith('+') ? mobile.slice(1) : mobile,
      signName: this.o.signName,
      templateCode: this.o.templateCode,
      templateParam: JSON.stringify({ [this.o.templateParam]: code }),
    });
    let body;
    try {
      body = (await this.client.sendSms(request)).body;
    } catch (err) {
      // HTTP 4xx/5xx from the gateway (signature, Throttling.User, …) or no answer at all
      const vendorCode = sdkErrorCode(err);
      return { ok: false, vendorCode, message: (err as Error).message, throttled: THROTTLING.has(vendorCode) };
    }
    const requestId = body?.requestId;
    if (body?.code === 'OK') return { ok: true, ...(requestId && { requestId }) };
    const vendorCode = body?.code ?? 'EmptyResponse';
    return { ok: false, vendorCode, message: body?.message ?? '', throttled: THROTTLING.has(vendorCode), ...(requestId && { requestId }) };
  }
}
