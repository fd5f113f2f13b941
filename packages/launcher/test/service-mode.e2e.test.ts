import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'fscpush-mode-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function fscpush(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/fscpush.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(proc, 'exit')) as [number];
  return { code, stderr };
}

test('a service started with fscpush.mode=embedded exits 2 before touching any engine, as the start scripts check it', async () => {
  const file = join(dir, 'application.properties');
  writeFileSync(file, 'fscpush.mode=embedded\n');
  for (const service of ['push-group', 'push-connector', 'push-api']) {
    for (const args of [[service], ['check-config', service]]) {
      const run = await fscpush([...args, '--config', file, '--data-dir', join(dir, service)]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`fscpush\\.mode: "embedded" is the all-in-one server .*${service} runs as its own process in cluster mode`));
    }
  }
  const viaEnv = await fscpush(['check-config', 'push-group', '--config', join(dir, 'none.properties')], { FSCPUSH_FSCPUSH_MODE: 'embedded' });
  assert.equal(viaEnv.code, 2, viaEnv.stderr);
  const cluster = await fscpush(['check-config', 'push-group', '--config', join(dir, 'none.properties')], { FSCPUSH_FSCPUSH_MODE: 'cluster' });
  assert.equal(cluster.code, 0, cluster.stderr);
});
