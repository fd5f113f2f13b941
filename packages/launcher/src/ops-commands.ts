import type { Command } from 'commander';
import { FscError, isProcessAlive, loadConfig, type ConfigSource } from '@fscpush/core';
import { managementUrl, type OpsService } from '@fscpush/ops';

const SERVICES: readonly OpsService[] = ['all', 'push-group', 'push-connector', 'push-api'];

/** Exit codes of `health`, used by the start scripts. */
const HEALTH_EXIT = { up: 0, notReady: 1, config: 2, processGone: 3 } as const;

/**
 * Commands for the start scripts and operators: `check-config <service>` validates the configuration
 * exactly as the service would read it; `health <service>` asks the running service's management port.
 */
export function registerOpsCommands(program: Command, sources: () => ConfigSource): void {
  program
    .command('check-config')
    .argument('<service>', SERVICES.join(' | '))
    .description('validate the configuration (file + FSCPUSH_* environment) as <service> reads it; exit 2 naming each bad key')
    .action((service: string) => {
      const svc = parseService(service);
      const { warnings } = load(sources(), svc);
      for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(`configuration ok; management port ${managementUrl(load(sources(), svc).values, svc)}\n`);
    });

  program
    .command('health')
    .argument('<service>', SERVICES.join(' | '))
    .description("GET /health on the service's management port; exit 0 when it is up")
    .option('--wait <seconds>', 'poll until up, at most this long', '0')
    .option('--pid <pid>', 'the answer must come from this process, and waiting stops if it exits (exit 3)')
    .option('--json', 'print the answer as JSON')
    .option('--quiet', 'print nothing')
    .action(async (service: string, opts: { wait: string; pid?: string; json?: boolean; quiet?: boolean }) => {
      const svc = parseService(service);
      const url = `${managementUrl(load(sources(), svc).values, svc)}/health`;
      const pid = opts.pid === undefined ? undefined : Number(opts.pid);
      const deadline = Date.now() + Number(opts.wait) * 1000;
      for (;;) {
        const answer = await probe(url);
        const body = answer.body !== undefined && (pid === undefined || answer.body['pid'] === pid) ? answer.body : undefined;
        const said = body === undefined ? `${url}: ${answer.error ?? `HTTP ${answer.status}`}` : opts.json === true ? JSON.stringify(body) : summary(body);
        if (answer.status === 200 && body !== undefined) {
          if (opts.quiet !== true) process.stdout.write(`${said}\n`);
          process.exit(HEALTH_EXIT.up);
        }
        if (pid !== undefined && !isProcessAlive(pid)) process.exit(HEALTH_EXIT.processGone);
        if (Date.now() >= deadline) {
          if (opts.quiet !== true) process.stdout.write(`${said}\n`);
          process.exit(HEALTH_EXIT.notReady);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });
}

/** `up: registry up 2 ms, store down (connect ECONNREFUSED)` */
function summary(body: Record<string, unknown>): string {
  const checks = Object.entries((body['checks'] ?? {}) as Record<string, { status: string; ms: number; error?: string }>);
  const parts = checks.map(([name, c]) => (c.status === 'up' ? `${name} up ${c.ms} ms` : `${name} ${c.status} (${c.error ?? 'no answer'})`));
  return `${String(body['status'])}${body['node'] !== undefined ? ` as ${String(body['node'])}` : ''}: ${parts.join(', ')}`;
}

function parseService(name: string): OpsService {
  if (!(SERVICES as readonly string[]).includes(name)) {
    process.stderr.write(`unknown service "${name}"; use one of: ${SERVICES.join(', ')}\n`);
    process.exit(HEALTH_EXIT.config);
  }
  return name as OpsService;
}

function load(source: ConfigSource, service: OpsService): ReturnType<typeof loadConfig> {
  try {
    return loadConfig(service === 'all' ? source : { ...source, service });
  } catch (err) {
    if (err instanceof FscError && err.code === 'CONFIG_INVALID') {
      process.stderr.write(`${err.message}\n`);
      process.exit(HEALTH_EXIT.config);
    }
    throw err;
  }
}

async function probe(url: string): Promise<{ status: number; body?: Record<string, unknown>; error?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      return { status: res.status, error: `HTTP ${res.status}, not a health answer` };
    }
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { status: 0, error: cause ?? (err as Error).message };
  }
}
