import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigKey } from '@fscpush/core';
import { TestServer } from './harness.ts';
import { SmsVendorStandIn } from './sms-vendor-stand-in.ts';

const ACCESS_KEY_ID = 'LTAI5tStandInKeyId';
const SECRET = 'stand-in-secret/with+chars=';

interface VendorCase {
  vendor: 'aliyun' | 'tencent';
  /** how the operator picks it: FShareChat's sms.cp or sms.provider */
  choice: Partial<Record<ConfigKey, string>>;
  extra: Partial<Record<ConfigKey, string>>;
  /** the number as the vendor's API takes it */
  vendorPhone: (mobile: string) => string;
  throttleCode: string;
  failureCode: string;
  /** the vendor's answer to a request signed with another secret */
  badSignatureCode: string;
}

const CASES: VendorCase[] = [
  {
    vendor: 'aliyun',
    choice: { 'sms.cp': '1' },
    extra: { 'sms.templateId': 'SMS_123456789', 'sms.templateParam': 'number' },
    vendorPhone: (m) => m,
    throttleCode: 'isv.BUSINESS_LIMIT_CONTROL',
    failureCode: 'isv.SMS_SIGNATURE_ILLEGAL',
    badSignatureCode: 'SignatureDoesNotMatch',
  },
  {
    vendor: 'tencent',
    choice: { 'sms.provider': 'tencent', 'sms.cp': '2' },
    extra: { 'sms.templateId': '1234567', 'sms.sdkAppId': '1400000001' },
    vendorPhone: (m) => `+86${m}`,
    throttleCode: 'LimitExceeded.PhoneNumberDailyLimit',
    failureCode: 'FailedOperation.SignatureIncorrectOrUnapproved',
    badSignatureCode: 'AuthFailure.SignatureFailure',
  },
];

for (const c of CASES) {
  describe(`SMS vendor ${c.vendor} through its SDK, against an HTTPS stand-in that checks the signed request`, () => {
    let vendor: SmsVendorStandIn;
    let t: TestServer;
    const serverFor = (secret: string) => TestServer.start({
      overrides: {
        'sms.superCode': '',
        ...c.choice,
        'sms.appid': ACCESS_KEY_ID,
        'sms.appkey': secret,
        'sms.signName': '飞享IM',
        'sms.endpoint': vendor.endpoint,
        'sms.ca.file': vendor.caFile,
        'sms.timeout.ms': 1000,
        ...c.extra,
      },
    });

    before(async () => {
      vendor = await SmsVendorStandIn.start({ vendor: c.vendor, accessKeyId: ACCESS_KEY_ID, secret: SECRET, ...(c.extra['sms.templateParam'] && { templateParam: c.extra['sms.templateParam'] }) });
      t = await serverFor(SECRET);
    });
    after(async () => {
      await t.stop();
      await vendor.stop();
    });

    test('the code the vendor was asked to send logs the user in; the mobile in any written form is one account', async () => {
      const mobile = c.vendor === 'aliyun' ? '13900006001' : '13900006101';
      assert.deepEqual((await t.post('/send_code', { mobile: `+86 ${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}` })).json, { code: 0, message: 'success' });
      assert.deepEqual(vendor.rejected, [], 'every request was signed and formed as the vendor documents');
      const sms = vendor.received.at(-1)!;
      assert.equal(sms.phone, c.vendorPhone(mobile));
      assert.match(sms.code, /^\d{4}$/);
      assert.equal(sms.signName, '飞享IM');
      assert.equal(sms.template, c.extra['sms.templateId']);
      assert.equal(sms.sdkAppId, c.extra['sms.sdkAppId'] ?? '');
      assert.equal(t.smsCode(mobile), undefined, 'a real vendor: the code is not in the log');

      const login = await t.post('/login', { mobile: `0086${mobile}`, code: sms.code, clientId: `dev-${c.vendor}` });
      assert.equal(login.json.code, 0, JSON.stringify(login.json));
      assert.equal(login.json.result.register, true);
      const again = await t.post('/login', { mobile, code: sms.code, clientId: `dev-${c.vendor}` });
      assert.equal(again.json.code, 5, 'the same account (its code is used up)');
    });

    test("the vendor's throttling and its failure reach the client as server error (throttling says to try later); logs name the vendor's code and mask the mobile", async () => {
      const throttled = c.vendor === 'aliyun' ? '13900006002' : '13900006102';
      const failing = c.vendor === 'aliyun' ? '13900006003' : '13900006103';
      vendor.answers.set(c.vendorPhone(throttled), 'throttled');
      vendor.answers.set(c.vendorPhone(failing), 'failure');

      const slow = (await t.post('/send_code', { mobile: throttled })).json;
      assert.equal(slow.code, 4);
      assert.match(slow.message, /try again later/);
      const broken = (await t.post('/send_code', { mobile: failing })).json;
      assert.equal(broken.code, 4);
      assert.doesNotMatch(JSON.stringify([slow, broken]), /isv\.|LimitExceeded|FailedOperation|签名|signature/i, "the vendor's words stay in the log");
      assert.deepEqual(vendor.rejected, []);

      const logged = await t.logLines((l) => l['msg'] === 'verification code not sent');
      assert.deepEqual(logged.map((l) => [l['vendor'], l['vendorCode'], l['mobile']]), [
        [c.vendor, c.throttleCode, `139******${throttled.slice(-2)}`],
        [c.vendor, c.failureCode, `139******${failing.slice(-2)}`],
      ]);
      const everything = JSON.stringify(await t.logLines(() => true));
      for (const mobile of [throttled, failing]) assert.ok(!everything.includes(mobile), `${mobile} never written in full`);
    });

    test('a vendor that does not answer within sms.timeout.ms is a server error', async () => {
      const mobile = c.vendor === 'aliyun' ? '13900006005' : '13900006105';
      vendor.answers.set(c.vendorPhone(mobile), 'silent');
      assert.equal((await t.post('/send_code', { mobile })).json.code, 4);
      const logged = await t.logLines((l) => l['msg'] === 'verification code not sent' && l['mobile'] === `139******${mobile.slice(-2)}`);
      assert.equal(logged.length, 1);
      assert.deepEqual(vendor.rejected, []);
      const everything = JSON.stringify(await t.logLines(() => true));
      assert.ok(!everything.includes(mobile.slice(3)), "the SDK's timeout text does not bring the number into the log");
    });

    test('a request signed with another secret is refused by the stand-in; the client sees server error', async () => {
      const wrong = await serverFor('not-the-secret');
      try {
        assert.equal((await wrong.post('/send_code', { mobile: '13900006004' })).json.code, 4);
        assert.equal(vendor.rejected.length, 1);
        assert.match(vendor.rejected[0]!, new RegExp(`^${c.badSignatureCode.replace('.', '\\.')}:`));
        const logged = await wrong.logLines((l) => l['msg'] === 'verification code not sent');
        assert.equal(logged[0]?.['vendorCode'], c.badSignatureCode);
      } finally {
        vendor.rejected.length = 0;
        await wrong.stop();
      }
    });
  });
}

describe('SMS vendor configuration mistakes stop the start with a clear message', () => {
  const starts = (overrides: Partial<Record<ConfigKey, string>>) => TestServer.start({ overrides: { 'sms.superCode': '', ...overrides } });

  test('a vendor without credentials, template or signature names the missing keys', async () => {
    await assert.rejects(starts({ 'sms.cp': '1', 'sms.appid': 'id' }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.match(err.message, /sms provider aliyun needs sms\.appkey, sms\.templateId, sms\.signName/);
      return true;
    });
    await assert.rejects(starts({ 'sms.provider': 'tencent', 'sms.appid': 'id', 'sms.appkey': 'k', 'sms.templateId': '1', 'sms.signName': 's' }), /sms provider tencent needs sms\.sdkAppId/);
  });

  test('sms.provider and sms.cp that disagree', async () => {
    await assert.rejects(starts({ 'sms.provider': 'aliyun', 'sms.cp': '2' }), /sms\.provider=aliyun and sms\.cp=2 \(tencent\) disagree/);
    await assert.rejects(starts({ 'sms.provider': 'log', 'sms.cp': '1' }), /disagree/);
  });

  test('an unreadable sms.ca.file', async () => {
    const vendorKeys = { 'sms.cp': '2', 'sms.appid': 'id', 'sms.appkey': 'k', 'sms.templateId': '1', 'sms.signName': 's', 'sms.sdkAppId': '1400000001' };
    await assert.rejects(starts({ ...vendorKeys, 'sms.ca.file': '/nonexistent/ca.pem' }), /sms\.ca\.file \/nonexistent\/ca\.pem/);
  });

  test('sms.cp=0 is the log provider', async () => {
    const t = await starts({ 'sms.cp': '0' });
    try {
      assert.equal((await t.post('/send_code', { mobile: '13900006201' })).json.code, 0);
      assert.match(t.smsCode('13900006201') ?? '', /^\d{4}$/);
    } finally {
      await t.stop();
    }
  });
});
