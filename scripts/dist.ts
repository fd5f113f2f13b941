// npm run dist: builds dist-bundle/fscpush-<version>.tar.gz (+ .sha256), FShareChat's /data/boot layout.
//   node scripts/dist.ts [--out <dir>]
// Reproducible: the time stamp inside is SOURCE_DATE_EPOCH, else the last commit's time.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MANAGEMENT_PORTS } from '../packages/ops/src/index.ts';
import { renderConfigTemplate } from '../packages/launcher/src/config-template.ts';
import { writeReproducibleTarGz } from './dist/archive.ts';
import { bundleLauncher, nodeLicense } from './dist/bundle.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TEMPLATES = join(ROOT, 'dist-bundle', 'templates');
const SERVICES = ['push-connector', 'push-group', 'push-api'] as const;
type Service = (typeof SERVICES)[number];

/** Heap sizes written into each service's node.options (the connector holds the connections). */
const HEAP_MB: Record<Service, number> = { 'push-connector': 2048, 'push-group': 1024, 'push-api': 512 };

const CONFIG_HINTS: Record<Service, string[]> = {
  'push-connector': ['push.tcp.port=6789', 'push.ws.port=9326', 'minio.url=http://10.0.0.21:9000', 'minio.access_key=…', 'minio.secret_key=…'],
  'push-group': ['server.http.port=8081', 'hazelcast.members=10.0.0.31:5701', 'im.jdbc_url=jdbc:mysql://10.0.0.41:3306/fsharechat', 'im.user=fscpush', 'im.password=…', 'sms.provider=log'],
  'push-api': ['server.port=8080', 'im.admin_secret=…', 'hazelcast.members=10.0.0.31:5701', 'im.jdbc_url=jdbc:mysql://10.0.0.41:3306/fsharechat', 'im.user=fscpush', 'im.password=…'],
};

export interface DistResult {
  file: string;
  sha256: string;
  bytes: number;
  seconds: number;
}

export async function buildDist(outDir: string): Promise<DistResult> {
  const started = Date.now();
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const mtime = new Date(buildEpoch() * 1000);
  const nodeBinary = join(ROOT, 'node_modules', 'node', 'bin', 'node');
  const nodeVersion = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
  const pinned = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['node'];
  if (nodeVersion !== `v${pinned}`) throw new Error(`node_modules/node is ${nodeVersion}, package.json pins ${pinned}: run npm ci`);

  const bundle = await bundleLauncher(ROOT, 'bin/fscpush.js', version);
  const stage = mkdtempSync(join(tmpdir(), 'fscpush-dist-'));
  try {
    const boot = join(stage, 'data', 'boot');
    for (const service of SERVICES) {
      const dir = join(boot, service);
      for (const sub of ['config', 'lib', 'logs']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, service), fill(template('service.sh'), service, version), { mode: 0o755 });
      writeFileSync(join(dir, 'node.options'), fill(template('node.options'), service, version));
      writeFileSync(join(dir, 'config', 'application.properties'), configFile(service, version));
      writeFileSync(join(dir, 'lib', 'fscpush.mjs'), bundle.code);
      for (const worker of bundle.workers) writeFileSync(join(dir, 'lib', worker.name), worker.code);
      for (const asset of bundle.assets) copyFileSync(asset.path, join(dir, 'lib', asset.name));
      writeFileSync(join(dir, 'lib', 'THIRD-PARTY-NOTICES.txt'), bundle.notices);
    }
    mkdirSync(join(boot, 'node', 'bin'), { recursive: true });
    copyFileSync(nodeBinary, join(boot, 'node', 'bin', 'node'));
    writeFileSync(join(boot, 'node', 'LICENSE'), nodeLicense(ROOT) ?? `Node.js ${nodeVersion}: MIT license and the licenses of its bundled dependencies, see https://github.com/nodejs/node/blob/${nodeVersion}/LICENSE\n`);
    for (const sub of ['nginx/nginx.conf', 'prometheus/prometheus.yml', 'prometheus/alerts.yml']) {
      mkdirSync(join(boot, sub, '..'), { recursive: true });
      writeFileSync(join(boot, sub), template(sub));
    }
    writeFileSync(join(boot, 'README.txt'), fill(template('README.txt'), '', version));
    writeFileSync(join(boot, 'VERSION'), `fscpush ${version}\nnode ${nodeVersion} ${process.platform}-${process.arch}\nsource ${gitDescribe()}\n`);

    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `fscpush-${version}.tar.gz`);
    const sha256 = await writeReproducibleTarGz(stage, 'data', file, mtime);
    return { file, sha256, bytes: statSync(file).size, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function template(name: string): string {
  return readFileSync(join(TEMPLATES, name), 'utf8');
}

function fill(text: string, service: string, version: string): string {
  const heap = service === '' ? '' : String(HEAP_MB[service as Service]);
  return text.replaceAll('@SERVICE@', service).replaceAll('@VERSION@', version).replaceAll('@HEAP@', heap);
}

function configFile(service: Service, version: string): string {
  const header = [
    `# fscpush ${version}: configuration of ${service} (FShareChat's application.properties keys).`,
    `# ./${service} start reads this file; FSCPUSH_<KEY> environment variables override it; ./${service} check validates it.`,
    '#',
    '# On a multi-host install set at least (see README, Deployment):',
    '#   server.address=0.0.0.0',
    '#   dubbo.protocol.host=<this host\'s intranet address>',
    '#   dubbo.registry.address=zookeeper://10.0.0.51:2181?backup=10.0.0.52:2181,10.0.0.53:2181',
    '#   push.kafka.broker=10.0.0.61:9092,10.0.0.62:9092,10.0.0.63:9092',
    ...CONFIG_HINTS[service].map((hint) => `#   ${hint}`),
    `#   management.port=${DEFAULT_MANAGEMENT_PORTS[service]}   (GET /health, GET /metrics; keep it internal)`,
    '#',
    '# Below: every key with its default.',
    '',
  ];
  return `${header.join('\n')}\n${renderConfigTemplate()}`;
}

function buildEpoch(): number {
  const fromEnv = process.env['SOURCE_DATE_EPOCH'];
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  try {
    return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return 946684800; // 2000-01-01, outside a git checkout
  }
}

function gitDescribe(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: join(ROOT, 'dist-bundle') } } });
  const result = await buildDist(resolve(values.out));
  process.stdout.write(`${result.file}\n  ${(result.bytes / 1048576).toFixed(1)} MiB, sha256 ${result.sha256}, built in ${result.seconds.toFixed(1)} s\n`);
}
