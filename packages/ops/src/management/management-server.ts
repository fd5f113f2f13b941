import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { boundPort, listen, type Logger } from '@fscpush/core';
import type { HealthChecks } from '../health/health-checks.ts';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';
import { FSCPUSH_BUILD } from '../version.ts';

export interface ManagementServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface ManagementDeps {
  address: string;
  port: number;
  service: string;
  health: HealthChecks;
  metrics: ServiceMetrics;
  log: Logger;
  /** the node id once known (shown by /health) */
  node: () => string | undefined;
}

/**
 * The management port: GET /health (readiness, 200 only when up), GET /health/live (200 while the process
 * answers), GET /metrics (Prometheus text format). Nothing else; no authentication, so bind it to an
 * internal address.
 */
export async function startManagementServer(deps: ManagementDeps): Promise<ManagementServer> {
  const started = Date.now();
  const identity = () => ({ service: deps.service, node: deps.node(), pid: process.pid, version: FSCPUSH_BUILD.version, uptimeSeconds: Math.round((Date.now() - started) / 1000) });
  const server: Server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      deps.log.error({ err }, 'management request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/health/live') {
      json(res, 200, { status: 'up', ...identity() });
    } else if (path === '/health' || path === '/health/ready') {
      const report = await deps.health.report();
      json(res, report.status === 'up' ? 200 : 503, { status: report.status, ...identity(), checks: report.checks });
    } else if (path === '/metrics') {
      const body = await deps.metrics.text();
      res.writeHead(200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' }).end(body);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /health, /health/live or /metrics\n');
    }
  }
  server.keepAliveTimeout = 65_000;
  await listen(server, deps.address, deps.port);
  const port = boundPort(server);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(body)}\n`);
}
