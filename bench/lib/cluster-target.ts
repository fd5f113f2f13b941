import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_SUPER_CODE, ProcessCluster } from '@fscpush/testkit';
import type { ServerProcess, Target } from './target.ts';

const ENGINES = ['zookeeper', 'kafka', 'hazelcast', 'mariadb', 'minio'] as const;

export interface ClusterShape {
  groups: number;
  connectors: number;
}

/** `--cluster 2x2`: push-groups × connectors, plus one push-api. */
export function parseClusterShape(value: string): ClusterShape {
  const match = /^(\d+)x(\d+)$/.exec(value);
  if (!match) throw new Error('--cluster is <push-groups>x<connectors>, e.g. 2x2');
  return { groups: Number(match[1]), connectors: Number(match[2]) };
}

export interface RunningCluster {
  target: Target;
  stop(): Promise<void>;
}

/**
 * Cluster mode under load: the dev stack's engines (started if needed, stopped afterwards if this run
 * started them) and real service processes; the target samples the services AND the engines, since on
 * one machine they share the cores.
 */
/** `env`: the scenario's FSCPUSH_* settings, given to every service process. */
export async function startClusterTarget(shape: ClusterShape, cpuProfDir?: string, env: Record<string, string> = {}): Promise<RunningCluster> {
  const stopped = ENGINES.filter((svc) => spawnSync('scripts/devstack', ['status', svc], { stdio: 'ignore' }).status !== 0);
  if (stopped.length > 0) execFileSync('scripts/devstack', ['up', ...stopped], { stdio: 'inherit' });
  for (const line of execFileSync('scripts/devstack', ['env'], { encoding: 'utf8' }).split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) process.env[match[1]!] = match[2]!.replace(/^'(.*)'$/, '$1');
  }
  if (cpuProfDir !== undefined) mkdirSync(cpuProfDir, { recursive: true });
  const cluster = new ProcessCluster(cpuProfDir === undefined ? {} : { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] });
  try {
    await cluster.prepare();
    const groups = [];
    for (let i = 0; i < shape.groups; i++) groups.push(await cluster.start('push-group', env));
    const connectors = [];
    for (let i = 0; i < shape.connectors; i++) connectors.push(await cluster.start('push-connector', env));
    const api = await cluster.start('push-api', env);
    const processes: ServerProcess[] = [...groups, ...connectors, api].map((p) => ({ name: `${p.service} ${p.node}`, pid: p.proc.pid! }));
    for (const engine of ENGINES) {
      const pid = enginePid(engine);
      if (pid !== undefined) processes.push({ name: engine, pid });
    }
    return {
      target: {
        tcp: connectors.map((c) => ({ host: '127.0.0.1', port: c.ports['tcp']! })),
        ws: connectors.map((c) => ({ host: '127.0.0.1', port: c.ports['ws']!, path: '/ws' })),
        loginUrl: `http://127.0.0.1:${groups[0]!.ports['login']}`,
        apiUrl: `http://127.0.0.1:${api.ports['api']}`,
        adminSecret: `admin-${cluster.id}`,
        superCode: CLUSTER_SUPER_CODE,
        processes,
      },
      async stop() {
        await cluster.stop();
        if (stopped.length > 0) spawnSync('scripts/devstack', ['down', ...stopped], { stdio: 'inherit' });
      },
    };
  } catch (err) {
    await cluster.stop();
    if (stopped.length > 0) spawnSync('scripts/devstack', ['down', ...stopped], { stdio: 'inherit' });
    throw err;
  }
}

function enginePid(engine: string): number | undefined {
  const file = join(process.env['FSCPUSH_DEVSTACK_DIR'] ?? '/tmp/fscpush-devstack', `${engine}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
