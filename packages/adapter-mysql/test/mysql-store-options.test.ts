import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FscError } from '@fscpush/core';
import { parseJdbcUrl, parseMysqlUrl } from '../src/jdbc-url.ts';
import { resolveMysqlStoreOptions } from '../src/mysql-store-options.ts';
import { migrationLockName } from '../src/mysql-migrations.ts';
import { translateConnectionError } from '../src/mysql-connection.ts';

const isConfigInvalid = (pattern?: RegExp) => (err: unknown) => err instanceof FscError && err.code === 'CONFIG_INVALID' && (!pattern || pattern.test(err.message));

test("parseJdbcUrl: FShareChat's default im.jdbc_url", () => {
  assert.deepEqual(
    parseJdbcUrl('jdbc:mysql://mysql:3306/fsharechat?useSSL=false&serverTimezone=GMT&allowPublicKeyRetrieval=true&useUnicode=true&characterEncoding=utf8'),
    { host: 'mysql', port: 3306, database: 'fsharechat', tls: 'off' },
  );
});

test('parseJdbcUrl: default port, mariadb scheme, IPv6, user/password parameters', () => {
  assert.deepEqual(parseJdbcUrl('jdbc:mysql://db.internal/wfchat'), { host: 'db.internal', port: 3306, database: 'wfchat', tls: 'off' });
  assert.deepEqual(parseJdbcUrl('jdbc:mariadb://10.0.0.5:3307/im'), { host: '10.0.0.5', port: 3307, database: 'im', tls: 'off' });
  assert.deepEqual(parseJdbcUrl('jdbc:mysql://[::1]:3306/im'), { host: '::1', port: 3306, database: 'im', tls: 'off' });
  assert.deepEqual(parseJdbcUrl('jdbc:mysql://h:3306/im?user=app&password=p%40ss&useUnicode=true'), { host: 'h', port: 3306, database: 'im', user: 'app', password: 'p@ss', tls: 'off' });
  assert.deepEqual(parseJdbcUrl('  JDBC:MySQL://h/im  '), { host: 'h', port: 3306, database: 'im', tls: 'off' });
});

test('parseJdbcUrl: TLS parameters (Connector/J 8 sslMode and 5.x useSSL)', () => {
  const tls = (query: string) => parseJdbcUrl(`jdbc:mysql://h/im?${query}`).tls;
  assert.equal(tls('useSSL=false'), 'off');
  assert.equal(tls('useSSL=true'), 'required');
  assert.equal(tls('useSSL=true&verifyServerCertificate=true'), 'verify');
  assert.equal(tls('requireSSL=true'), 'required');
  assert.equal(tls('sslMode=DISABLED'), 'off');
  assert.equal(tls('sslMode=PREFERRED'), 'off');
  assert.equal(tls('sslMode=REQUIRED'), 'required');
  assert.equal(tls('sslMode=VERIFY_CA'), 'verify');
  assert.equal(tls('sslmode=verify_identity&useSSL=false'), 'verify', 'sslMode wins, case-insensitively');
  assert.throws(() => tls('sslMode=SOMETIMES'), isConfigInvalid(/sslMode/));
});

test('parseJdbcUrl: refuses what it cannot honour, without echoing passwords', () => {
  assert.throws(() => parseJdbcUrl('jdbc:postgresql://h/im'), isConfigInvalid());
  assert.throws(() => parseJdbcUrl('mysql://h/im'), isConfigInvalid());
  assert.throws(() => parseJdbcUrl('jdbc:mysql://h1:3306,h2:3306/im'), isConfigInvalid(/one host/));
  assert.throws(() => parseJdbcUrl('jdbc:mysql://h:3306/'), isConfigInvalid(/database/));
  assert.throws(() => parseJdbcUrl('jdbc:mysql://h:3306/im-prod'), isConfigInvalid(/database/));
  assert.throws(() => parseJdbcUrl('jdbc:mysql://h:3306/a`b'), isConfigInvalid(/database/));
  assert.throws(() => parseJdbcUrl('jdbc:mysql://:3306/im'), isConfigInvalid());
  try {
    parseJdbcUrl('jdbc:mysql://h1,h2/im?password=hunter2');
    assert.fail('should throw');
  } catch (err) {
    assert.doesNotMatch(JSON.stringify({ message: (err as FscError).message, details: (err as FscError).details }), /hunter2/);
  }
});

test('parseMysqlUrl: the mysql:// form (FSCPUSH_MYSQL_URI) and JDBC', () => {
  assert.deepEqual(parseMysqlUrl('mysql://fscpush:fscpush@127.0.0.1:3306/fscpush'), { host: '127.0.0.1', port: 3306, database: 'fscpush', user: 'fscpush', password: 'fscpush', tls: 'off' });
  assert.deepEqual(parseMysqlUrl('mysql://u:p%2Fw@h/db?ssl-mode=REQUIRED'), { host: 'h', port: 3306, database: 'db', user: 'u', password: 'p/w', tls: 'required' });
  assert.equal(parseMysqlUrl('jdbc:mysql://h/db').database, 'db');
  try {
    parseMysqlUrl('mysql://u:hunter2@h/bad-name');
    assert.fail('should throw');
  } catch (err) {
    assert.doesNotMatch(JSON.stringify((err as FscError).details), /hunter2/);
  }
});

test('options: explicit parts win over the URL; bounded defaults; every problem reported at once', () => {
  const resolved = resolveMysqlStoreOptions({ url: 'jdbc:mysql://h:3307/im?user=a&password=b', user: 'root', password: 'x', poolSize: 4 });
  assert.equal(resolved.host, 'h');
  assert.equal(resolved.port, 3307);
  assert.equal(resolved.database, 'im');
  assert.equal(resolved.user, 'root');
  assert.equal(resolved.password, 'x');
  assert.equal(resolved.poolSize, 4);
  assert.equal(resolved.acquireTimeoutMs, 10_000);
  assert.equal(resolved.queryTimeoutMs, 30_000);
  assert.equal(resolved.createDatabase, true);
  assert.ok(Object.isFrozen(resolved));
  // what the launcher passes (no url)
  const parts = resolveMysqlStoreOptions({ host: '10.1.1.1', port: 3306, database: 'fscpush', user: 'im', password: '' });
  assert.deepEqual([parts.host, parts.port, parts.database, parts.user, parts.password, parts.poolSize], ['10.1.1.1', 3306, 'fscpush', 'im', '', 10]);
  assert.throws(
    () => resolveMysqlStoreOptions({ host: '', port: 70000, database: 'a-b', poolSize: 0, queryTimeoutMs: -1 }),
    (err: unknown) => {
      assert.ok(err instanceof FscError && err.code === 'CONFIG_INVALID');
      for (const key of ['host', 'port', 'database', 'poolSize', 'queryTimeoutMs']) assert.match(err.message, new RegExp(key));
      return true;
    },
  );
});

test('migration lock names fit GET_LOCK (64 characters) and differ per database', () => {
  assert.equal(migrationLockName('fscpush'), 'fscpush-migrate:fscpush');
  const long = migrationLockName('x'.repeat(64));
  assert.ok(long.length <= 64);
  assert.notEqual(long, migrationLockName(`${'x'.repeat(63)}y`));
});

test('connection failures become STORE_UNAVAILABLE; statement errors keep their mysql2 code', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', fatal: true });
  const lost = Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });
  for (const err of [refused, lost]) {
    const translated = translateConnectionError(err);
    assert.ok(translated instanceof FscError && translated.code === 'STORE_UNAVAILABLE' && translated.retriable && translated.cause === err);
  }
  const duplicate = Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY', errno: 1062 });
  const deadlock = Object.assign(new Error('Deadlock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });
  assert.equal(translateConnectionError(duplicate), duplicate);
  assert.equal(translateConnectionError(deadlock), deadlock);
});
