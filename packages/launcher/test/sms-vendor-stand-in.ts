import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from '@fscpush/testkit';

/** What the stand-in answers for a mobile: delivered, the vendor's throttling, a vendor failure, or nothing at all. */
export type VendorAnswer = 'success' | 'throttled' | 'failure' | 'silent';

/** One SendSms the stand-in accepted as the vendor documents it (signature recomputed and equal). */
export interface ReceivedSms {
  /** as the vendor got it: Aliyun PhoneNumbers (13800000000), Tencent PhoneNumberSet[0] (+8613800000000) */
  phone: string;
  code: string;
  signName: string;
  template: string;
  /** Tencent's SmsSdkAppId; '' for Aliyun */
  sdkAppId: string;
}

export interface StandInOptions {
  vendor: 'aliyun' | 'tencent';
  accessKeyId: string;
  secret: string;
  /** Aliyun's template variable that carries the code */
  templateParam?: string;
}

/** An HTTP answer; `phone` is set once the request was accepted as well-formed and correctly signed. */
type Answer = { status: number; body: unknown; phone?: string };

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * An HTTPS stand-in for Aliyun's or Tencent Cloud's SMS endpoint, with a self-signed certificate (`caFile`
 * is what the server under test trusts). It checks each request as the vendor documents it — action,
 * version, parameters, and the signature recomputed from the secret — and answers per mobile. A request it
 * cannot accept is answered with the vendor's own signature/parameter error and listed in `rejected`.
 */
export class SmsVendorStandIn {
  readonly received: ReceivedSms[] = [];
  readonly rejected: string[] = [];
  readonly answers = new Map<string, VendorAnswer>();
  readonly caFile: string;
  private readonly dir: string;
  private readonly server: Server;
  private readonly o: StandInOptions;

  private constructor(options: StandInOptions, dir: string, caFile: string, server: Server) {
    this.o = options;
    this.dir = dir;
    this.caFile = caFile;
    this.server = server;
  }

  static async start(options: StandInOptions): Promise<SmsVendorStandIn> {
    const dir = mkdtempSync(join(tmpdir(), 'fscpush-sms-vendor-'));
    const { cert, key } = selfSignedCert(dir);
    let standIn: SmsVendorStandIn | undefined;
    const server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = standIn!.answer(req, Buffer.concat(chunks));
        if (answer === 'silent') return;
        res.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn = new SmsVendorStandIn(options, dir, cert, server);
    return standIn;
  }

  /** host:port for sms.endpoint */
  get endpoint(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('stand-in not listening');
    return `127.0.0.1:${address.port}`;
  }

  /** The last code the vendor was asked to send to `phone` (in the vendor's number format). */
  codeFor(phone: string): string | undefined {
    return this.received.findLast((r) => r.phone === phone)?.code;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The vendor's answer to a well-formed, correctly signed request is chosen by the number it is for. */
  private answer(req: IncomingMessage, body: Buffer): { status: number; body: unknown } | 'silent' {
    const checked = this.o.vendor === 'aliyun' ? this.aliyun(req, body) : this.tencent(req, body);
    return checked.phone !== undefined && this.answers.get(checked.phone) === 'silent' ? 'silent' : checked;
  }

  /** dysmsapi 2017-05-25 SendSms, RPC style signed with ACS3-HMAC-SHA256 (Aliyun's "V3 signature"). */
  private aliyun(req: IncomingMessage, body: Buffer): Answer {
    const requestId = randomUUID().toUpperCase();
    const reject = (status: number, code: string, why: string) => {
      this.rejected.push(`${code}: ${why}`);
      return { status, body: { Code: code, Message: why, RequestId: requestId } };
    };
    const header = (name: string): string => String(req.headers[name] ?? '');
    if (req.method !== 'POST') return reject(400, 'UnsupportedHTTPMethod', req.method ?? '');
    if (header('x-acs-action') !== 'SendSms') return reject(400, 'InvalidAction.NotFound', header('x-acs-action'));
    if (header('x-acs-version') !== '2017-05-25') return reject(400, 'InvalidVersion', header('x-acs-version'));
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(header('x-acs-date'))) return reject(400, 'InvalidTimeStamp.Format', header('x-acs-date'));
    if (header('x-acs-signature-nonce') === '') return reject(400, 'MissingSignatureNonce', 'x-acs-signature-nonce');
    if (header('x-acs-content-sha256') !== sha256(body)) return reject(400, 'ContentSHA256NotMatch', 'x-acs-content-sha256');

    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(header('authorization'));
    if (!auth) return reject(400, 'IncompleteSignature', `Authorization ${header('authorization')}`);
    const [, credential, signedHeaders, signature] = auth as unknown as [string, string, string, string];
    if (credential !== this.o.accessKeyId) return reject(404, 'InvalidAccessKeyId.NotFound', credential);
    const signed = signedHeaders.split(';');
    for (const required of ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version']) {
      if (!signed.includes(required)) return reject(400, 'IncompleteSignature', `${required} not signed`);
    }
    if ([...signed].sort().join(';') !== signedHeaders) return reject(400, 'IncompleteSignature', 'SignedHeaders not in order');

    const url = new URL(req.url ?? '/', 'https://stand-in');
    const query = [...url.searchParams].map(([k, v]) => [rfc3986(k), rfc3986(v)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonicalRequest = [
      'POST',
      url.pathname,
      query.map(([k, v]) => `${k}=${v}`).join('&'),
      signed.map((name) => `${name}:${header(name).trim()}\n`).join(''),
      signedHeaders,
      header('x-acs-content-sha256'),
    ].join('\n');
    const expected = hmac(this.o.secret, `ACS3-HMAC-SHA256\n${sha256(canonicalRequest)}`).toString('hex');
    if (expected !== signature) return reject(400, 'SignatureDoesNotMatch', 'the signature recomputed with the secret differs');

    const param = (name: string) => url.searchParams.get(name) ?? '';
    for (const name of ['PhoneNumbers', 'SignName', 'TemplateCode', 'TemplateParam']) {
      if (param(name) === '') return reject(400, 'MissingParameter', name);
    }
    let templateParam: Record<string, unknown>;
    try {
      templateParam = JSON.parse(param('TemplateParam'));
    } catch {
      return reject(200, 'isv.INVALID_JSON_PARAM', 'TemplateParam is not JSON');
    }
    const code = templateParam[this.o.templateParam ?? 'code'];
    if (typeof code !== 'string') return reject(200, 'isv.TEMPLATE_MISSING_PARAMETERS', JSON.stringify(templateParam));
    const phone = param('PhoneNumbers');
    if (!/^\d{6,16}$/.test(phone)) return reject(200, 'isv.MOBILE_NUMBER_ILLEGAL', phone);

    const answer = this.answers.get(phone) ?? 'success';
    if (answer === 'throttled') return { phone, status: 200, body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控Permits:10', RequestId: requestId } };
    if (answer === 'failure') return { phone, status: 200, body: { Code: 'isv.SMS_SIGNATURE_ILLEGAL', Message: '该账号下找不到对应签名', RequestId: requestId } };
    if (answer === 'success') this.received.push({ phone, code, signName: param('SignName'), template: param('TemplateCode'), sdkAppId: '' });
    return { phone, status: 200, body: { Code: 'OK', Message: 'OK', BizId: `${Date.now()}^0`, RequestId: requestId } };
  }

  /** SMS 2021-01-11 SendSms, signed with TC3-HMAC-SHA256. */
  private tencent(req: IncomingMessage, body: Buffer): Answer {
    const requestId = randomUUID();
    const error = (code: string, message: string) => ({ status: 200, body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId } } });
    const reject = (code: string, why: string) => {
      this.rejected.push(`${code}: ${why}`);
      return error(code, why);
    };
    const header = (name: string): string => String(req.headers[name] ?? '');
    if (req.method !== 'POST') return reject('UnsupportedOperation', req.method ?? '');
    if (header('x-tc-action') !== 'SendSms') return reject('InvalidAction', header('x-tc-action'));
    if (header('x-tc-version') !== '2021-01-11') return reject('NoSuchVersion', header('x-tc-version'));
    const timestamp = header('x-tc-timestamp');
    if (!/^\d{10}$/.test(timestamp)) return reject('MissingParameter', 'X-TC-Timestamp');
    if (header('x-tc-region') === '') return reject('MissingParameter', 'X-TC-Region');

    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(header('authorization'));
    if (!auth) return reject('AuthFailure.InvalidAuthorization', `Authorization ${header('authorization')}`);
    const [, secretId, date, service, signedHeaders, signature] = auth as unknown as [string, string, string, string, string, string];
    if (secretId !== this.o.accessKeyId) return reject('AuthFailure.SecretIdNotFound', secretId);
    if (date !== new Date(Number(timestamp) * 1000).toISOString().slice(0, 10)) return reject('AuthFailure.InvalidAuthorization', `credential date ${date} is not the UTC date of X-TC-Timestamp`);
    // the gateway takes the service from the host name's first label (sms.tencentcloudapi.com → sms); the
    // vendor's hosts carry no port, and the SDK signs the host name without it
    const host = header('host').replace(/:\d+$/, '');
    if (service !== host.split('.')[0]) return reject('AuthFailure.InvalidAuthorization', `service ${service} is not the host's ${host}`);
    const signed = signedHeaders.split(';');
    if (!signed.includes('content-type') || !signed.includes('host')) return reject('AuthFailure.InvalidAuthorization', 'content-type and host must be signed');
    const headerValue = (name: string) => (name === 'host' ? host : header(name)).trim().toLowerCase();
    const canonicalRequest = ['POST', '/', '', signed.map((name) => `${name}:${headerValue(name)}\n`).join(''), signedHeaders, sha256(body)].join('\n');
    const stringToSign = ['TC3-HMAC-SHA256', timestamp, `${date}/${service}/tc3_request`, sha256(canonicalRequest)].join('\n');
    const signingKey = hmac(hmac(hmac(`TC3${this.o.secret}`, date), service), 'tc3_request');
    if (hmac(signingKey, stringToSign).toString('hex') !== signature) return reject('AuthFailure.SignatureFailure', 'the signature recomputed with the secret differs');

    let params: Record<string, unknown>;
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      return reject('InvalidParameter', 'body is not JSON');
    }
    const phones = params['PhoneNumberSet'];
    const templateParams = params['TemplateParamSet'];
    for (const name of ['SmsSdkAppId', 'SignName', 'TemplateId']) {
      if (typeof params[name] !== 'string' || params[name] === '') return reject('MissingParameter', name);
    }
    if (!Array.isArray(phones) || phones.length !== 1 || typeof phones[0] !== 'string') return reject('InvalidParameterValue.IncorrectPhoneNumber', JSON.stringify(phones));
    if (!Array.isArray(templateParams) || typeof templateParams[0] !== 'string') return reject('FailedOperation.TemplateParamSetNotMatchApprovedTemplate', JSON.stringify(templateParams));
    const phone = phones[0];
    if (!/^\+\d{6,16}$/.test(phone)) return reject('InvalidParameterValue.IncorrectPhoneNumber', phone);

    const answer = this.answers.get(phone) ?? 'success';
    if (answer === 'failure') return { phone, ...error('FailedOperation.SignatureIncorrectOrUnapproved', 'signature is not approved or format is incorrect') };
    const status = answer === 'throttled'
      ? { Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'the number of sms messages sent from a single mobile number every day exceeds the upper limit' }
      : { Code: 'Ok', Message: 'send success' };
    if (answer === 'success') {
      this.received.push({ phone, code: templateParams[0], signName: String(params['SignName']), template: String(params['TemplateId']), sdkAppId: String(params['SmsSdkAppId']) });
    }
    return { phone, status: 200, body: { Response: { SendStatusSet: [{ SerialNo: randomUUID(), PhoneNumber: phone, Fee: 1, SessionContext: '', IsoCode: 'CN', ...status }], RequestId: requestId } } };
  }
}

/** Aliyun's percent-encoding for canonical queries: RFC 3986 unreserved characters stay, everything else %XX. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
