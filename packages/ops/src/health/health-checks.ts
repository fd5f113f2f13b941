/** One dependency the process needs to serve: resolves when reachable, rejects with the reason when not. */
export type Probe = () => Promise<unknown>;

export type CheckStatus = 'up' | 'down';
export type HealthStatus = 'starting' | 'up' | 'down' | 'stopping';

export interface CheckResult {
  status: CheckStatus;
  ms: number;
  error?: string;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, CheckResult>;
}

/**
 * Readiness: every probe answered within the timeout, and the process has finished starting and is not
 * shutting down. Probes run concurrently; a report is reused for maxAgeMs so that frequent polling
 * (load balancers, Prometheus, start scripts) costs the engines one probe round per interval.
 */
export class HealthChecks {
  private readonly probes = new Map<string, Probe>();
  private readonly timeoutMs: number;
  private readonly maxAgeMs: number;
  private phase: 'starting' | 'running' | 'stopping' = 'starting';
  private last: { at: number; report: Promise<Record<string, CheckResult>> } | undefined;

  constructor(options: { timeoutMs?: number; maxAgeMs?: number } = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.maxAgeMs = options.maxAgeMs ?? 1000;
  }

  add(name: string, probe: Probe): void {
    this.probes.set(name, probe);
    this.last = undefined;
  }

  started(): void {
    this.phase = 'running';
    this.last = undefined;
  }

  stopping(): void {
    this.phase = 'stopping';
  }

  async report(): Promise<HealthReport> {
    const now = Date.now();
    if (!this.last || now - this.last.at > this.maxAgeMs) this.last = { at: now, report: this.runAll() };
    const checks = await this.last.report;
    const allUp = Object.values(checks).every((c) => c.status === 'up');
    const status: HealthStatus = this.phase === 'stopping' ? 'stopping' : this.phase === 'starting' ? 'starting' : allUp ? 'up' : 'down';
    return { status, checks };
  }

  private async runAll(): Promise<Record<string, CheckResult>> {
    const entries = await Promise.all([...this.probes].map(async ([name, probe]) => [name, await this.runOne(probe)] as const));
    return Object.fromEntries(entries);
  }

  private async runOne(probe: Probe): Promise<CheckResult> {
    const start = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(probe), timeout]);
      return { status: 'up', ms: Date.now() - start };
    } catch (err) {
      return { status: 'down', ms: Date.now() - start, error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
