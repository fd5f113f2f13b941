import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { FscError, type ConfigValues, type Logger } from '@fscpush/core';
import { LogSmsProvider, VendorSms, type SmsProvider } from './sms-provider.ts';

type Vendor = 'log' | 'aliyun' | 'tencent';

const BY_CP: Record<string, Vendor> = { '0': 'log', '1': 'aliyun', '2': 'tencent' };
const VENDOR_DEFAULTS = {
  aliyun: { region: 'cn-hangzhou', endpoint: 'dysmsapi.aliyuncs.com' },
  tencent: { region: 'ap-guangzhou', endpoint: 'sms.tencentcloudapi.com' },
};

/** sms.provider, or FShareChat's sms.cp when sms.provider is empty; both set and different is an operator mistake. */
export function chosenVendor(config: ConfigValues): Vendor {
  const provider = config['sms.provider'];
  const byCp = config['sms.cp'] === '' ? undefined : BY_CP[config['sms.cp']];
  if (provider !== '' && byCp !== undefined && provider !== byCp) {
    throw configError(`sms.provider=${provider} and sms.cp=${config['sms.cp']} (${byCp}) disagree: set one of them`);
  }
  return provider !== '' ? provider : byCp ?? 'log';
}

/**
 * The configured provider; a vendor without its credentials, template or signature stops the start, naming
 * the keys. A vendor's SDK is loaded only when that vendor is chosen (they are large, and print deprecation
 * warnings when loaded).
 */
export async function smsProviderFrom(config: ConfigValues, log: Logger): Promise<SmsProvider> {
  const vendor = chosenVendor(config);
  if (vendor === 'log') return new LogSmsProvider(log);
  const required = ['sms.appid', 'sms.appkey', 'sms.templateId', 'sms.signName', ...(vendor === 'tencent' ? ['sms.sdkAppId'] as const : [])] as const;
  const missing = required.filter((key) => config[key] === '');
  if (missing.length > 0) throw configError(`sms provider ${vendor} needs ${missing.join(', ')}`);
  const common = {
    signName: config['sms.signName'],
    region: config['sms.region'] || VENDOR_DEFAULTS[vendor].region,
    endpoint: config['sms.endpoint'] || VENDOR_DEFAULTS[vendor].endpoint,
    ca: trustedCas(config['sms.ca.file']),
    timeoutMs: config['sms.timeout.ms'],
  };
  const call = vendor === 'aliyun'
    ? new (await import('./aliyun-sms.ts')).AliyunSms({
      ...common,
      regionId: common.region,
      accessKeyId: config['sms.appid'],
      accessKeySecret: config['sms.appkey'],
      templateCode: config['sms.templateId'],
      templateParam: config['sms.templateParam'],
    })
    : new (await import('./tencent-sms.ts')).TencentSms({
      ...common,
      secretId: config['sms.appid'],
      secretKey: config['sms.appkey'],
      sdkAppId: config['sms.sdkAppId'],
      templateId: config['sms.templateId'],
    });
  log.info({ vendor, endpoint: common.endpoint, region: common.region }, 'sms vendor');
  return new VendorSms(call, log);
}

/** The system's CAs plus sms.ca.file; undefined (the SDK's default, the system's) without a file. */
function trustedCas(file: string): string | undefined {
  if (file === '') return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw configError(`sms.ca.file ${file}: ${(err as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw configError(`sms.ca.file ${file}: no PEM certificate in it`);
  return [...rootCertificates, pem].join('\n');
}

function configError(message: string): FscError {
  return new FscError('CONFIG_INVALID', `invalid configuration: ${message}`);
}
