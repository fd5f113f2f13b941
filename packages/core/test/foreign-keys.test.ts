import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { getProperties } from 'properties-file';
import { FscError } from '../src/errors.ts';
import { CONFIG_KEYS } from '../src/config/keys.ts';
import { loadConfig, type ConfigSource } from '../src/config/load-config.ts';
import { classifyForeignKey } from '../src/config/foreign-keys.ts';

type Service = 'push-connector' | 'push-group' | 'push-api';
const FIXTURES = join(import.meta.dirname, '../../launcher/test/fixtures/fsharechat');
const fixture = (service: Service): string => join(FIXTURES, service, 'application.properties');

const dir = mkdtempSync(join(tmpdir(), 'fscpush-foreign-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function propertiesFile(text: string): string {
  const file = join(dir, `application-${++files}.properties`);
  writeFileSync(file, text);
  return file;
}

function problemsOf(source: ConfigSource): string[] {
  try {
    loadConfig(source);
  } catch (err) {
    assert.ok(err instanceof FscError && err.code === 'CONFIG_INVALID', String(err));
    return err.details?.['problems'] as string[];
  }
  assert.fail('the configuration was accepted');
}

/**
 * What fscpush does with every key of FShareChat's three release files: `key` read as the fscpush key of
 * the same name, `alias:<key>` read as that key, `warn` accepted with one warning.
 */
const EXPECTED: Record<Service, Record<string, string>> = {
  'push-connector': {
    'spring.application.name': 'warn', 'spring.main.allow-bean-definition-overriding': 'warn', 'server.port': 'warn',
    'logging.config': 'warn', 'logging.level.root': 'alias:log.level',
    'dubbo.application.name': 'warn', 'dubbo.scan.base-packages': 'warn', 'dubbo.protocol.name': 'warn', 'dubbo.protocol.port': 'key',
    'dubbo.consumer.timeout': 'alias:rpc.timeout.ms', 'dubbo.consumer.check': 'warn', 'dubbo.provider.timeout': 'warn',
    'push.ssl.keystore': 'warn', 'push.ssl.truststore': 'warn', 'push.ssl.password': 'warn', 'dubbo.registry.address': 'key',
    'node.id': 'key', 'kurento.clientUrl': 'warn', 'minio.url': 'key', 'minio.access_key': 'key', 'minio.secret_key': 'key',
  },
  'push-group': {
    'spring.application.name': 'warn', 'spring.main.allow-bean-definition-overriding': 'warn', 'logging.config': 'warn',
    'logging.level.root': 'alias:log.level', 'server.port': 'warn', 'server.http.port': 'key',
    'server.ssl.key-store': 'warn', 'server.ssl.key-store-password': 'warn', 'server.ssl.key-store-type': 'warn', 'server.ssl.key-alias': 'warn',
    'server.tomcat.uri-encoding': 'warn', 'spring.http.encoding.charset': 'warn', 'spring.http.encoding.force': 'warn',
    'dubbo.application.name': 'warn', 'dubbo.scan.base-packages': 'warn', 'dubbo.protocol.name': 'warn', 'dubbo.protocol.port': 'key',
    'dubbo.consumer.timeout': 'alias:rpc.timeout.ms', 'dubbo.consumer.check': 'warn', 'dubbo.registry.address': 'key',
    'hazelcast.members': 'key', 'sms.cp': 'key', 'sms.appid': 'key', 'sms.appkey': 'key', 'sms.templateId': 'key', 'sms.superCode': 'key',
    'im.embed_db': 'key', 'im.jdbc_url': 'key', 'im.user': 'key', 'im.password': 'key',
  },
  'push-api': {
    'spring.application.name': 'warn', 'spring.main.allow-bean-definition-overriding': 'warn', 'logging.config': 'warn',
    'logging.level.root': 'alias:log.level', 'server.port': 'alias:push.api.port', 'dubbo.application.name': 'warn',
    'dubbo.scan.base-packages': 'warn', 'dubbo.consumer.timeout': 'alias:rpc.timeout.ms', 'dubbo.consumer.check': 'warn',
    'dubbo.registry.address': 'key', 'push.redis.address': 'warn',
  },
};

describe("FShareChat's release files", () => {
  for (const service of Object.keys(EXPECTED) as Service[]) {
    test(`${service}: the table above covers every key of the file`, () => {
      const keys = Object.keys(getProperties(readFileSync(fixture(service), 'utf8')));
      assert.deepEqual([...keys].sort(), Object.keys(EXPECTED[service]).sort());
    });

    test(`${service}: loads unchanged; each warned key warns exactly once, honoured keys never`, () => {
      const { warnings } = loadConfig({ file: fixture(service), service });
      for (const [key, verdict] of Object.entries(EXPECTED[service])) {
        const about = warnings.filter((w) => w.startsWith(`${key}: `));
        assert.equal(about.length, verdict === 'warn' ? 1 : 0, `${key} (${verdict}): ${about.join(' | ')}`);
        if (verdict === 'key') assert.ok(Object.hasOwn(CONFIG_KEYS, key), `${key} is an fscpush key`);
      }
      assert.equal(warnings.length, Object.values(EXPECTED[service]).filter((v) => v === 'warn').length, warnings.join('\n'));
      for (const warning of warnings) assert.match(warning, /^[\w.-]+: \S.{15,}/, `a warning says what fscpush does instead: ${warning}`);
    });

    test(`${service}: aliased keys are read as fscpush's keys`, () => {
      const properties = getProperties(readFileSync(fixture(service), 'utf8'));
      for (const [key, verdict] of Object.entries(EXPECTED[service])) {
        if (!verdict.startsWith('alias:')) continue;
        const target = verdict.slice('alias:'.length) as keyof typeof CONFIG_KEYS;
        const changed = properties[key] === '5000' ? '4321' : key === 'server.port' ? '18080' : 'debug';
        const file = propertiesFile(`${key}=${changed.toUpperCase()}\n`);
        assert.equal(String(loadConfig({ file, service }).values[target]), changed, `${key} → ${target}`);
      }
    });
  }

  test('the values a release file sets reach fscpush unchanged', () => {
    const group = loadConfig({ file: fixture('push-group'), service: 'push-group' }).values;
    assert.equal(group['dubbo.protocol.port'], 7463);
    assert.equal(group['server.http.port'], 8081);
    assert.equal(group['sms.superCode'], '66666');
    assert.equal(group['im.embed_db'], false);
    assert.equal(group['im.user'], 'root');
    assert.equal(group['hazelcast.members'], '172.16.176.23');
    assert.equal(group['log.level'], 'info');
    assert.equal(group['rpc.timeout.ms'], 5000);
    const connector = loadConfig({ file: fixture('push-connector'), service: 'push-connector' }).values;
    assert.equal(connector['dubbo.protocol.port'], 7461);
    assert.equal(connector['node.id'], 0);
    assert.equal(connector['minio.url'], 'https://media.comsince.cn');
    assert.equal(loadConfig({ file: fixture('push-api'), service: 'push-api' }).values['push.api.port'], 8080);
  });
});

describe('aliases', () => {
  test("Spring's level names become fscpush's; OFF is silent", () => {
    for (const [spring, level] of [['WARN', 'warn'], ['ERROR', 'error'], ['TRACE', 'trace'], ['OFF', 'silent'], ['info', 'info']]) {
      assert.equal(loadConfig({ file: propertiesFile(`logging.level.root=${spring}\n`) }).values['log.level'], level);
    }
    assert.match(problemsOf({ file: propertiesFile('logging.level.root=LOUD\n') })[0]!, /^log\.level: invalid value "loud"/);
  });

  test("the fscpush key wins over FShareChat's spelling, whichever comes first in the file", () => {
    for (const text of ['log.level=error\nlogging.level.root=debug\n', 'logging.level.root=debug\nlog.level=error\n']) {
      assert.equal(loadConfig({ file: propertiesFile(text) }).values['log.level'], 'error', text);
    }
    assert.equal(loadConfig({ file: propertiesFile('logging.file.name=logs/x.log\n') }).values['logging.file'], 'logs/x.log');
  });

  test("Spring Boot's own spellings of the management port and the database are read as fscpush's", () => {
    const { values, warnings } = loadConfig({
      file: propertiesFile('management.server.port=9999\nmanagement.server.address=10.0.0.1\nspring.datasource.url=jdbc:mysql://db:3306/im\nspring.datasource.username=u\nspring.datasource.password=p\nspring.datasource.driver-class-name=com.mysql.cj.jdbc.Driver\n'),
      service: 'push-group',
    });
    assert.equal(values['management.port'], 9999);
    assert.equal(values['management.address'], '10.0.0.1');
    assert.equal(values['im.jdbc_url'], 'jdbc:mysql://db:3306/im');
    assert.equal(values['im.user'], 'u');
    assert.equal(values['im.password'], 'p');
    assert.deepEqual(warnings.map((w) => w.slice(0, w.indexOf(':'))), ['spring.datasource.driver-class-name']);
  });
});

describe('unknown keys', () => {
  test('a misspelt fscpush key is refused with the key it most likely meant', () => {
    const problems = problemsOf({ file: propertiesFile('push.tcp.prot=1\nim.jdbcurl=x\nsms.superCod=1\nminio.acess_key=a\n') });
    assert.deepEqual(
      problems.map((p) => /did you mean ([\w.-]+)\?$/.exec(p)?.[1]),
      ['push.tcp.port', 'im.jdbc_url', 'sms.superCode', 'minio.access_key'],
      problems.join('\n'),
    );
  });

  test('a typo inside a warned namespace is still refused: it would silently drop a setting fscpush reads', () => {
    const problems = problemsOf({ file: propertiesFile('dubbo.registry.adress=zookeeper://zk:2181\nserver.htp.port=8081\nlogging.fil=x.log\n'), service: 'push-group' });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0]!, /dubbo\.registry\.adress: unknown key .*did you mean dubbo\.registry\.address\?/);
    assert.match(problems[1]!, /did you mean server\.http\.port\?/);
    assert.match(problems[2]!, /did you mean logging\.file\?/);
  });

  test('a key far from every known one is refused without a guess', () => {
    const [problem] = problemsOf({ file: propertiesFile('bogus.key=1\n') });
    assert.match(problem!, /^bogus\.key: unknown key \(in .*\)$/);
  });

  test('classification: the namespaces are matched as prefixes with a segment after them', () => {
    assert.deepEqual(classifyForeignKey('management.endpoints.web.exposure.include', '*').kind, 'warn');
    assert.deepEqual(classifyForeignKey('c3p0.maxPoolSize', '100').kind, 'warn');
    assert.deepEqual(classifyForeignKey('spring.', 'x').kind, 'unknown');
    assert.deepEqual(classifyForeignKey('springfield', 'x').kind, 'unknown');
  });

  test("FShareChat's SMS keys are fscpush's: its sms.cp=0 file selects the log provider", () => {
    const { values } = loadConfig({ file: fixture('push-group'), service: 'push-group' });
    assert.deepEqual([values['sms.cp'], values['sms.provider'], values['sms.templateId']], ['0', '', 'SMS_180355435']);
  });
});

describe('run mode of a service', () => {
  test('fscpush.mode=embedded on a service is refused with what to do; cluster or unset is fine', () => {
    for (const service of ['push-group', 'push-connector', 'push-api'] as const) {
      const [problem] = problemsOf({ file: propertiesFile('fscpush.mode=embedded\n'), service });
      assert.match(problem!, new RegExp(`^fscpush.mode: "embedded" is the all-in-one server .*${service} runs as its own process in cluster mode`));
      assert.equal(problem!.includes('im.embed_db=1'), service !== 'push-connector');
      assert.equal(loadConfig({ overrides: { 'fscpush.mode': 'cluster' }, service }).values['fscpush.mode'], 'cluster');
      assert.equal(loadConfig({ service }).warnings.length, 0);
    }
    const viaEnv = problemsOf({ env: { FSCPUSH_FSCPUSH_MODE: 'embedded' }, service: 'push-group' });
    assert.match(viaEnv[0]!, /^fscpush\.mode:/);
  });

  test('im.embed_db is honoured by push-group/push-api, warned about where it picks nothing', () => {
    assert.equal(loadConfig({ file: propertiesFile('im.embed_db=1\n'), service: 'push-group' }).values['im.embed_db'], true);
    assert.deepEqual(loadConfig({ file: propertiesFile('im.embed_db=1\n'), service: 'push-api' }).warnings, []);
    assert.match(loadConfig({ file: propertiesFile('im.embed_db=1\n'), service: 'push-connector' }).warnings.join(), /push-connector keeps no data/);
    assert.match(loadConfig({ file: propertiesFile('im.embed_db=0\n') }).warnings.join(), /all-in-one server always keeps its data in its SQLite file/);
    assert.deepEqual(loadConfig({ file: propertiesFile('im.embed_db=1\n') }).warnings, []);
    assert.match(problemsOf({ file: propertiesFile('im.embed_db=yes\n'), service: 'push-group' })[0]!, /^im\.embed_db: invalid value "yes"/);
  });
});
