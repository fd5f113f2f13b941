import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveConnectPassword } from '@fscpush/protocol';
import { WsImClient, selfSignedCert } from '@fscpush/testkit';
import { TEST_SUPER_CODE, TestServer } from './harness.ts';

describe('optional TLS from PEM files: wss and https', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fscpush-tls-'));
  const { cert, key } = selfSignedCert(dir);
  let t: TestServer;
  let ca: Buffer;

  before(async () => {
    ca = readFileSync(cert);
    t = await TestServer.start({ overrides: { 'push.ssl.cert': cert, 'push.ssl.key': key, 'server.ssl.cert': cert, 'server.ssl.key': key } });
  });
  after(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function httpsPost(port: number, path: string, body: unknown): Promise<any> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  test('login over https, then CONNECT over wss', async () => {
    const login = await httpsPost(t.server.ports.login, '/login', { mobile: '13500008001', code: TEST_SUPER_CODE, clientId: 'tls-web' });
    assert.equal(login.code, 0);
    const client = new WsImClient({ url: `wss://127.0.0.1:${t.server.ports.ws}/ws`, ca });
    const result = await client.connect({ host: '127.0.0.1', port: t.server.ports.ws, userName: login.result.userId, password: deriveConnectPassword(login.result.token, { webQuirks: true }), clientId: 'tls-web' });
    assert.equal(result.accepted, true);
    await client.close();
  });

  test('plain ws is not served on the TLS port', async () => {
    const client = new WsImClient({ requestTimeoutMs: 1000 });
    await assert.rejects(client.connect({ host: '127.0.0.1', port: t.server.ports.ws, path: '/ws', userName: 'x', password: 'y', clientId: 'z', timeoutMs: 1000 }));
  });

  test('a key without its certificate is a configuration error naming the key', async () => {
    await assert.rejects(TestServer.start({ overrides: { 'push.ssl.key': key } }), /push\.ssl\.cert/);
  });
});
