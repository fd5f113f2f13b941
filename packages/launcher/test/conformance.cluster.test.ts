import { loginWithCode } from '@fscpush/testkit';
import { conformanceSuite } from './conformance-suite.ts';
import { CLUSTER_SUPER_CODE, TestCluster } from './cluster-harness.ts';

/**
 * The client conformance suite on cluster mode: 2 push-group and 2 push-connector processes on the real
 * engines. Logins alternate between the push-groups (with the super code), devices between the
 * connectors, so a user's two devices sit on different connectors.
 */
conformanceSuite('client conformance (cluster): the Android app and the web client by their own rules', async () => {
  const cluster = new TestCluster();
  await cluster.prepare();
  const groups = [await cluster.start('push-group'), await cluster.start('push-group')];
  const connectors = [await cluster.start('push-connector'), await cluster.start('push-connector')];
  let logins = 0;
  return {
    login: (mobile, clientId) => loginWithCode(`http://127.0.0.1:${groups[logins++ % groups.length]!.ports['login']}`, mobile, CLUSTER_SUPER_CODE, clientId),
    endpoint: (n) => {
      const connector = connectors[n % connectors.length]!;
      return { host: '127.0.0.1', tcpPort: connector.ports['tcp']!, wsPort: connector.ports['ws']!, wsPath: '/ws' };
    },
    stop: () => cluster.stop(),
  };
});
