import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, type DistResult } from '../../../scripts/dist.ts';
import { UnpackedBoot } from './unpacked-boot.ts';

describe('npm run dist: a reproducible /data/boot tarball that runs without the repository', () => {
  const work = mkdtempSync(join(tmpdir(), 'fscpush-dist-test-'));
  let first: DistResult;
  let second: DistResult;
  let boot: UnpackedBoot;

  before(async () => {
    first = await buildDist(join(work, 'a'));
    second = await buildDist(join(work, 'b'));
    mkdirSync(join(work, 'unpacked'));
    boot = UnpackedBoot.extract(first.file, join(work, 'unpacked'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('two builds give the same bytes; the checksum file matches; the name carries the version', () => {
    const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    assert.match(first.file, new RegExp(`fscpush-${version.replaceAll('.', '\\.')}\\.tar\\.gz$`));
    assert.equal(first.sha256, second.sha256, "two builds differ: did a source file change between them?");
    assert.deepEqual(readFileSync(first.file), readFileSync(second.file));
    assert.equal(readFileSync(`${first.file}.sha256`, 'utf8'), `${first.sha256}  fscpush-${version}.tar.gz\n`);
    const check = spawnSync('sha256sum', ['-c', `fscpush-${version}.tar.gz.sha256`], { cwd: join(work, 'a'), encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    process.stderr.write(`dist: ${(first.bytes / 1048576).toFixed(1)} MiB, built in ${first.seconds.toFixed(1)} s / ${second.seconds.toFixed(1)} s\n`);
  });

  test('the layout: three services with script, config, options, lib and logs; the runtime; nginx and prometheus examples', () => {
    const listing = spawnSync('tar', ['tzvf', first.file], { encoding: 'utf8' }).stdout.trim().split('\n');
    const paths = listing.map((l) => l.split(/\s+/).at(-1)!);
    for (const svc of ['push-connector', 'push-group', 'push-api']) {
      for (const p of [`${svc}/`, `${svc}/${svc}`, `${svc}/node.options`, `${svc}/config/application.properties`, `${svc}/lib/fscpush.mjs`, `${svc}/lib/THIRD-PARTY-NOTICES.txt`, `${svc}/logs/`]) {
        assert.ok(paths.includes(`data/boot/${p}`), `data/boot/${p}`);
      }
      assert.ok((statSync(join(boot.serviceDir(svc as 'push-group'), svc)).mode & 0o111) !== 0, `${svc} script is executable`);
      const config = readFileSync(join(boot.serviceDir(svc as 'push-group'), 'config', 'application.properties'), 'utf8');
      assert.match(config, /^#push\.tcp\.port=6789$/m, 'the commented template lists every key with its default');
      assert.match(config, /^#management\.port=$/m);
    }
    for (const p of ['node/bin/node', 'nginx/nginx.conf', 'prometheus/prometheus.yml', 'VERSION']) assert.ok(paths.includes(`data/boot/${p}`), p);
    assert.deepEqual(paths.filter((p) => /\.ts$|node_modules|\.map$/.test(p)), [], 'no sources, no node_modules');
    for (const line of listing) assert.match(line, /^(-rw-r--r--|-rwxr-xr-x|drwxr-xr-x) 0\/0 /, `owner 0:0, normalised modes: ${line}`);
    const stamps = new Set(listing.filter((l) => l.startsWith('-')).map((l) => l.split(/\s+/).slice(3, 5).join(' ')));
    assert.equal(stamps.size, 1, 'one fixed mtime for every file');
    const nginx = readFileSync(join(boot.boot, 'nginx', 'nginx.conf'), 'utf8');
    assert.match(nginx, /stream \{[\s\S]*listen 6789;/);
    assert.match(nginx, /proxy_set_header Upgrade \$http_upgrade;/);
    assert.equal(spawnSync(join(boot.boot, 'node', 'bin', 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim(), process.version, 'the pinned runtime');
  });

  test('the scripts run with no Node.js on PATH and no repository: check, status, bad command', async () => {
    const check = await boot.script('push-group', 'check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /configuration ok; management port http:\/\/127\.0\.0\.1:9463/);
    const status = await boot.script('push-api', 'status');
    assert.equal(status.code, 3);
    assert.equal(status.stdout, 'push-api: stopped\n');
    assert.equal((await boot.script('push-api', 'bogus')).code, 64);
  });

  test('a stale pid file is reported by status and cleared by stop', async () => {
    writeFileSync(boot.pidFile('push-connector'), `${process.pid}\n`);
    const status = await boot.script('push-connector', 'status');
    assert.equal(status.code, 3);
    assert.match(status.stdout, /stopped \(stale pid file .*: pid \d+ is not push-connector\)/);
    const stop = await boot.script('push-connector', 'stop');
    assert.equal(stop.code, 0);
    assert.match(stop.stdout, /not running \(removed a stale pid file\)/);
    assert.equal(existsSync(boot.pidFile('push-connector')), false);
  });

  test('start with a broken configuration exits 2 naming each bad key, before anything runs', async () => {
    boot.configure('push-group', { 'server.http.port': 'eighty', 'im.jdbc_url': 'mysql://nope', 'no.such.key': '1' });
    const run = await boot.script('push-group', 'start');
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /server\.http\.port: invalid value "eighty"/);
    assert.match(run.stderr, /im\.jdbc_url: invalid value "mysql:\/\/nope"/);
    assert.match(run.stderr, /no\.such\.key: unknown key/);
    assert.match(run.stderr, /push-group: invalid configuration/);
    assert.equal(existsSync(boot.pidFile('push-group')), false);
  });

  test('the bundle runs the all-in-one server with its connector thread (lib/connector-worker.mjs)', async () => {
    const node = join(boot.boot, 'node', 'bin', 'node');
    const lib = join(boot.serviceDir('push-connector'), 'lib');
    assert.ok(existsSync(join(lib, 'connector-worker.mjs')));
    const dataDir = join(work, 'all-data');
    const ports = Object.fromEntries(['PUSH_TCP_PORT', 'PUSH_WS_PORT', 'SERVER_HTTP_PORT', 'PUSH_API_PORT', 'MEDIA_HTTP_PORT', 'MANAGEMENT_PORT'].map((k) => [`FSCPUSH_${k}`, '0']));
    const child = spawn(node, [join(lib, 'fscpush.mjs'), 'all', '-c', join(work, 'none.properties'), '-d', dataDir], {
      cwd: work,
      env: { PATH: '/usr/bin:/bin', FSCPUSH_SERVER_ADDRESS: '127.0.0.1', FSCPUSH_EMBEDDED_CONNECTOR_THREAD: 'true', ...ports },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    try {
      const deadline = Date.now() + 60_000;
      while (!/embedded server started/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      const started = out.split('\n').find((l) => l.includes('embedded server started'));
      assert.ok(started, out);
      const { ws } = JSON.parse(started) as { ws: number };
      const res = await fetch(`http://127.0.0.1:${ws}/`);
      assert.equal(res.status, 426, 'the WebSocket port is served by the connector thread');
      assert.equal(await res.text(), 'WebSocket only');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    assert.equal(child.exitCode, 0, out);
  });
});

