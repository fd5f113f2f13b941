import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advertisedHost, hostPortList, mysqlEndpoint, zookeeperConnectString } from '../src/cluster/endpoints.ts';
import { loadConfig } from '@fscpush/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('dubbo.registry.address in Dubbo\'s forms becomes a ZooKeeper connect string', () => {
  assert.equal(zookeeperConnectString('zookeeper://zookeeper:2181'), 'zookeeper:2181');
  assert.equal(zookeeperConnectString('zookeeper://10.0.0.1:2181?backup=10.0.0.2:2181,10.0.0.3:2182'), '10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2182');
  assert.equal(zookeeperConnectString('zookeeper://127.0.0.1:2181/tenant-a'), '127.0.0.1:2181/tenant-a');
  assert.equal(zookeeperConnectString('zookeeper://zk'), 'zk:2181');
});

test('host lists get default ports; FShareChat JDBC URLs are understood', () => {
  assert.deepEqual(hostPortList('kafka1, kafka2:9093,', 9092), ['kafka1:9092', 'kafka2:9093']);
  assert.deepEqual(mysqlEndpoint('jdbc:mysql://mysql:3306/fsharechat?useSSL=false&serverTimezone=GMT'), { host: 'mysql', port: 3306, database: 'fsharechat' });
  assert.deepEqual(mysqlEndpoint('jdbc:mariadb://db.local/im'), { host: 'db.local', port: 3306, database: 'im' });
  assert.throws(() => mysqlEndpoint('mysql://x/y'), /im\.jdbc_url/);
});

test('the RPC address other hosts use: protocol host, else the bind address, else a real interface', () => {
  assert.equal(advertisedHost('10.1.2.3', '0.0.0.0'), '10.1.2.3');
  assert.equal(advertisedHost('', '192.168.5.5'), '192.168.5.5');
  const interfaces = { lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }], eth0: [{ address: '10.9.8.7', family: 'IPv4', internal: false }] } as never;
  assert.equal(advertisedHost('', '0.0.0.0', interfaces), '10.9.8.7');
});

test('a FShareChat push-group file loads: cluster keys, server.port only for push-api', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fscpush-cfg-'));
  const file = join(dir, 'application.properties');
  writeFileSync(file, [
    'spring.application.name=push-group',
    'dubbo.registry.address=zookeeper://zookeeper:2181',
    'dubbo.protocol.port=7463',
    'push.kafka.broker=kafka:9092',
    'hazelcast.members=172.16.176.23',
    'im.jdbc_url=jdbc:mysql://mysql:3306/fsharechat?useSSL=false',
    'im.user=root',
    'im.password=123456',
    'server.port=8443',
    'server.http.port=8081',
  ].join('\n'));
  const group = loadConfig({ file, service: 'push-group' });
  assert.equal(group.values['dubbo.protocol.port'], 7463);
  assert.equal(group.values['hazelcast.members'], '172.16.176.23');
  assert.ok(group.warnings.some((w) => w.startsWith('server.port: ignored for push-group')));
  const api = loadConfig({ file, service: 'push-api' });
  assert.equal(api.values['push.api.port'], 8443);
  assert.throws(() => loadConfig({ file, service: 'push-group', overrides: { 'im.jdbc_url': 'postgres://x' } as never }), /im\.jdbc_url/);
});
