import { loginWithCode, requestSmsCode } from '@fscpush/testkit';
import { conformanceSuite } from './conformance-suite.ts';
import { TEST_SUPER_CODE, TestServer } from './harness.ts';

/**
 * The client conformance suite on embedded mode. A user's first device logs in with the SMS code the
 * `log` provider wrote (one code per mobile per interval, used once), the second with the super code.
 */
conformanceSuite('client conformance (embedded): the Android app and the web client by their own rules', async () => {
  const t = await TestServer.start();
  const coded = new Set<string>();
  return {
    async login(mobile, clientId) {
      if (coded.has(mobile)) return loginWithCode(t.loginUrl, mobile, TEST_SUPER_CODE, clientId);
      coded.add(mobile);
      await requestSmsCode(t.loginUrl, mobile);
      const code = (await t.logLines((l) => l['mobile'] === mobile && typeof l['code'] === 'string')).at(-1)?.['code'];
      if (typeof code !== 'string') throw new Error(`no SMS code logged for ${mobile}`);
      return loginWithCode(t.loginUrl, mobile, code, clientId);
    },
    endpoint: () => ({ host: '127.0.0.1', tcpPort: t.server.ports.tcp, wsPort: t.server.ports.ws, wsPath: '/ws' }),
    stop: () => t.stop(),
  };
});
