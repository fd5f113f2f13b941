import { z } from 'zod';
import type { KeySpec } from './keys.ts';

const limit = z.coerce.number().int().min(0);
const optionalText = z.string().trim();
// express `trust proxy`: loopback, linklocal, uniquelocal, addresses and CIDR blocks, comma-separated
const proxyList = z.string().trim().regex(/^(?:[A-Za-z0-9.:/]+(?:\s*,\s*[A-Za-z0-9.:/]+)*)?$/, 'a comma-separated list of addresses, CIDR blocks or loopback/linklocal/uniquelocal');

/**
 * SMS vendors (FShareChat's sms.cp, sms.appid, sms.appkey, sms.templateId, plus what it compiled in) and the
 * abuse limits of the unauthenticated login paths.
 */
export const SMS_KEYS = {
  'sms.provider': { schema: z.enum(['', 'log', 'aliyun', 'tencent']), default: '', description: 'SMS vendor: log (the code goes to the server log), aliyun, tencent; empty = as sms.cp says, log when sms.cp is unset. Set either this or sms.cp; two that disagree stop the server at start' },
  'sms.cp': { schema: z.enum(['', '0', '1', '2']), default: '', description: "FShareChat's vendor switch: 0 off (log), 1 Aliyun, 2 Tencent Cloud; empty = unset (sms.provider decides)" },
  'sms.appid': { schema: optionalText, default: '', description: 'vendor credential id: Aliyun AccessKey ID, Tencent Cloud SecretId' },
  'sms.appkey': { schema: optionalText, default: '', description: 'vendor credential secret: Aliyun AccessKey Secret, Tencent Cloud SecretKey', secret: true },
  'sms.templateId': { schema: optionalText, default: '', description: 'template of the verification SMS: Aliyun TemplateCode (SMS_…), Tencent TemplateId; the code is its only parameter' },
  'sms.signName': { schema: optionalText, default: '', description: 'approved SMS signature (签名) the vendor puts on the message' },
  'sms.sdkAppId': { schema: optionalText, default: '', description: 'Tencent Cloud only: SmsSdkAppId of the SMS application' },
  'sms.region': { schema: optionalText, default: '', description: 'vendor region; empty = cn-hangzhou (Aliyun), ap-guangzhou (Tencent)' },
  'sms.endpoint': { schema: z.string().trim().regex(/^(?:[A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])?(?::\d{1,5})?$/, 'host or host:port'), default: '', description: "host[:port] the vendor SDK calls over https; empty = the vendor's (dysmsapi.aliyuncs.com, sms.tencentcloudapi.com)" },
  'sms.ca.file': { schema: optionalText, default: '', description: "PEM file of an extra CA trusted for sms.endpoint (a gateway with a private CA); the system's CAs stay trusted" },
  'sms.templateParam': { schema: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), default: 'code', description: 'Aliyun only: the template variable the code fills (TemplateParam {"code":"1234"})' },
  'sms.timeout.ms': { schema: z.coerce.number().int().min(100).max(120000), default: '10000', description: 'how long one vendor call may take (connect and answer) before /send_code answers server error' },
  'sms.code.address.hourly.limit': { schema: limit, default: '30', description: '/send_code requests per source address per hour (over it answers 3, too frequent); 0 = no limit' },
  'sms.code.global.minute.limit': { schema: limit, default: '100', description: '/send_code requests of all clients per minute, across the cluster; 0 = no limit' },
  'login.failure.address.hourly.limit': { schema: limit, default: '50', description: 'failed /login attempts (wrong or expired code) per source address per hour; over it /login answers 3 until the hour ends; 0 = no limit' },
  'login.trusted.proxies': { schema: proxyList, default: 'loopback', description: "proxies whose X-Forwarded-For names the client's address on the login port (express trust proxy: addresses, CIDR blocks, loopback, linklocal, uniquelocal); empty = trust none" },
} as const satisfies Record<string, KeySpec>;
