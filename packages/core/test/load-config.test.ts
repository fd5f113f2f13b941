import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FscError } from '../src/errors.ts';
import { CONFIG_KEYS, LEGACY_KEYS } from '../src/config/keys.ts';
import { envNameOf, loadConfig, type ConfigSource } from '../src/config/load-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'fscpush-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function propertiesFile(text: string): string {
  const file = join(dir, `application-${++fileCount}.properties`);
  writeFileSync(file, text);
  return file;
}

/** Runs loadConfig expecting CONFIG_INVALID; returns the error. */
function configError(source: ConfigSource): FscError {
  try {
    loadConfig(source);
  } catch (err) {
    assert.ok(err instanceof FscError, `expected FscError, got ${String(err)}`);
    assert.equal(err.code, 'CONFIG_INVALID');
    return err;
  }
  assert.fail('loadConfig accepted an invalid configuration');
}

function problemsOf(err: FscError): string[] {
  const problems = err.details?.['problems'];
  assert.ok(Array.isArray(problems));
  return problems as string[];
}

test('defaults load with typed values for every key', () => {
  const { values, warnings } = loadConfig();
  assert.deepEqual(warnings, []);
  assert.deepEqual(Object.keys(values).sort(), Object.keys(CONFIG_KEYS).sort());
  assert.equal(values['fscpush.mode'], 'embedded');
  assert.equal(values['push.tcp.port'], 6789);
  assert.equal(values['push.ws.port'], 9326);
  assert.equal(values['node.id'], '');
  assert.equal(values['server.address'], '127.0.0.1');
  assert.equal(values['sms.superCode'], '', 'the super code is off by default');
  assert.equal(values['im.admin_secret'], '');
  assert.equal(typeof values['push.max.frame.bytes'], 'number');
});

test('a missing file means defaults only', () => {
  assert.equal(loadConfig({ file: join(dir, 'does-not-exist.properties') }).values['push.tcp.port'], 6789);
});

test('file values are parsed: comments, key=value, key: value, key value, escapes, continuations, whitespace', () => {
  const file = propertiesFile(
    [
      '# a comment with push.tcp.port=1',
      '! another comment style',
      '',
      'push.tcp.port=7001',
      'push.ws.port: 7002',
      'server.http.port 7003',
      '   push.api.port   =   7004   ',
      'server.address=127.0.0.\\u0031',
      'im.admin_secret=s\\=cr\\:et\\#1 two',
      'push.ws.paths=/a,\\',
      '    /b',
      'log.level=debug',
      'fscpush.data.dir=C:\\\\data',
    ].join('\n'),
  );
  const { values, warnings } = loadConfig({ file });
  assert.deepEqual(warnings, []);
  assert.equal(values['push.tcp.port'], 7001);
  assert.equal(values['push.ws.port'], 7002);
  assert.equal(values['server.http.port'], 7003);
  assert.equal(values['push.api.port'], 7004);
  assert.equal(values['server.address'], '127.0.0.1');
  assert.equal(values['im.admin_secret'], 's=cr:et#1 two');
  assert.equal(values['push.ws.paths'], '/a,/b');
  assert.equal(values['log.level'], 'debug');
  assert.equal(values['fscpush.data.dir'], 'C:\\data');
  assert.equal(values['push.max.frame.bytes'], 1048576, 'keys absent from the file keep their default');
});

test('CRLF line endings are accepted', () => {
  const file = propertiesFile('push.tcp.port=7101\r\nlog.level=warn\r\n');
  const { values } = loadConfig({ file });
  assert.equal(values['push.tcp.port'], 7101);
  assert.equal(values['log.level'], 'warn');
});

test('environment beats the file; overrides beat the environment', () => {
  const file = propertiesFile('push.tcp.port=7001\npush.ws.port=7002\nserver.http.port=7003\n');
  assert.equal(envNameOf('push.tcp.port'), 'FSCPUSH_PUSH_TCP_PORT');
  assert.equal(envNameOf('im.admin_secret'), 'FSCPUSH_IM_ADMIN_SECRET');
  const env = { FSCPUSH_PUSH_TCP_PORT: '8001', FSCPUSH_PUSH_WS_PORT: ' 8002 ', UNRELATED: 'x' };
  const { values } = loadConfig({ file, env, overrides: { 'push.ws.port': 9002, 'log.level': 'error' } });
  assert.equal(values['push.tcp.port'], 8001, 'env beats file');
  assert.equal(values['push.ws.port'], 9002, 'override beats env');
  assert.equal(values['server.http.port'], 7003, 'file beats default');
  assert.equal(values['log.level'], 'error', 'override beats default');
});

test('process.env is not read unless passed', () => {
  const key = envNameOf('push.tcp.port');
  const saved = process.env[key];
  process.env[key] = '8111';
  try {
    assert.equal(loadConfig().values['push.tcp.port'], 6789);
    assert.equal(loadConfig({ env: process.env }).values['push.tcp.port'], 8111);
  } finally {
    if (saved === undefined) delete process.env[key];
    else process.env[key] = saved;
  }
});

test('an unknown key in the file is CONFIG_INVALID naming the key and the file', () => {
  const file = propertiesFile('push.tcp.port=7001\npush.tcp.prot=7002\n');
  const err = configError({ file });
  assert.match(err.message, /push\.tcp\.prot/);
  assert.ok(err.message.includes(file), `message names the file: ${err.message}`);
  assert.equal(err.retriable, false);
});

test('keys named like Object.prototype members are unknown keys, not legacy ones', () => {
  for (const service of [undefined, 'push-group', 'push-connector', 'push-api'] as const) {
    for (const name of ['toString', 'constructor', 'hasOwnProperty']) {
      const source: ConfigSource = { file: propertiesFile(`${name}=1\n`) };
      if (service) source.service = service;
      const err = configError(source);
      assert.match(err.message, new RegExp(`${name}: unknown key`), `${name} for ${service ?? 'no service'}`);
    }
  }
});

test('an unknown override key is reported', () => {
  const err = configError({ overrides: { 'push.tcp.prot': 1 } as unknown as ConfigSource['overrides'] });
  assert.match(err.message, /push\.tcp\.prot: unknown key \(override\)/);
});

test('several problems are all reported at once', () => {
  const file = propertiesFile('push.tcp.port=70000\nlog.level=loud\nbogus.key=1\nfscpush.mode=kubernetes\n');
  const err = configError({ file, env: { FSCPUSH_PUSH_MAX_FRAME_BYTES: '-5' } });
  const problems = problemsOf(err);
  assert.equal(problems.length, 5, problems.join('\n'));
  for (const key of ['push.tcp.port', 'log.level', 'bogus.key', 'fscpush.mode', 'push.max.frame.bytes']) {
    assert.ok(problems.some((p) => p.startsWith(`${key}:`)), `${key} reported`);
    assert.ok(err.message.includes(key), `${key} in the message`);
  }
  assert.ok(problems.find((p) => p.startsWith('push.tcp.port:'))!.includes('70000'), 'the bad value is quoted');
});

test('invalid secret values are reported without the value', () => {
  const superCode = '12345678901234567890';
  const err = configError({ overrides: { 'sms.superCode': superCode } });
  assert.match(err.message, /sms\.superCode/);
  assert.ok(!err.message.includes(superCode), `secret leaked: ${err.message}`);
  assert.ok(!JSON.stringify(err.details).includes(superCode), 'secret leaked into details');
});

test('a port must be a whole number in 0..65535; an empty value is not silently port 0', () => {
  for (const good of ['0', '1', '65535']) {
    assert.equal(loadConfig({ overrides: { 'push.tcp.port': good } }).values['push.tcp.port'], Number(good));
  }
  for (const bad of ['', '   ', '65536', '-1', '80.5', 'http']) {
    const err = configError({ overrides: { 'push.tcp.port': bad } });
    assert.match(err.message, /push\.tcp\.port: invalid value/, `value ${JSON.stringify(bad)}`);
  }
  const fromFile = configError({ file: propertiesFile('push.ws.port=\n') });
  assert.match(fromFile.message, /push\.ws\.port/);
});

test('flag-like and enum keys reject near misses', () => {
  configError({ overrides: { 'fscpush.mode': 'Embedded' } });
  configError({ overrides: { 'sms.provider': 'Aliyun' } });
  configError({ overrides: { 'sms.cp': '3' } });
  configError({ overrides: { 'sms.code.ttl.seconds': '0' } });
  assert.equal(loadConfig({ overrides: { 'fscpush.mode': 'cluster' } }).values['fscpush.mode'], 'cluster');
});

test('legacy keys produce warnings, not errors', () => {
  const file = propertiesFile('push.ssl.keystore=/etc/keystore.jks\nim.embed_db=0\npush.tcp.port=7001\n');
  const { values, warnings } = loadConfig({ file });
  assert.equal(values['push.tcp.port'], 7001);
  assert.equal(warnings.length, 2);
  assert.ok(warnings.some((w) => w.startsWith('push.ssl.keystore:') && w.includes('push.ssl.cert')), warnings.join('\n'));
  assert.ok(warnings.some((w) => w.startsWith('im.embed_db:') && w.includes('always keeps its data in its SQLite file')), warnings.join('\n'));
});

test('legacy keys and current keys do not overlap', () => {
  for (const legacy of Object.keys(LEGACY_KEYS)) assert.equal(Object.hasOwn(CONFIG_KEYS, legacy), false, legacy);
});

test('the result is frozen', () => {
  const { values } = loadConfig();
  assert.ok(Object.isFrozen(values));
  assert.throws(() => {
    (values as Record<string, unknown>)['push.tcp.port'] = 1;
  }, TypeError);
  assert.equal(values['push.tcp.port'], 6789);
});

test("node.id accepts '' and 0..1023 and rejects everything else", () => {
  assert.equal(loadConfig({ overrides: { 'node.id': '' } }).values['node.id'], '');
  assert.equal(loadConfig({ overrides: { 'node.id': '0' } }).values['node.id'], 0);
  assert.equal(loadConfig({ overrides: { 'node.id': 1023 } }).values['node.id'], 1023);
  assert.equal(loadConfig({ env: { FSCPUSH_NODE_ID: '17' } }).values['node.id'], 17);
  for (const bad of ['1024', '-1', '1.5', 'one']) {
    const err = configError({ overrides: { 'node.id': bad } });
    assert.match(err.message, /node\.id/);
  }
});

test('every key has a default that passes its own schema and a description', () => {
  for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
    assert.ok(spec.schema.safeParse(spec.default).success, `${key} default ${JSON.stringify(spec.default)}`);
    assert.ok(spec.description.length > 0, key);
    assert.match(key, /^[a-z][a-z0-9_.-]*[a-z0-9]$/i);
  }
});

test('the shipped config template loads without problems', () => {
  const template = fileURLToPath(new URL('../../../config/application.properties', import.meta.url));
  assert.doesNotThrow(() => loadConfig({ file: template }));
});
