export { ServiceOps } from './service-ops.ts';
export { countConnections, sumConnectionCounts, sumRejectedEvents, type ConnectionCount, type RejectedEventCount } from './metrics/connection-counts.ts';
export { DEFAULT_MANAGEMENT_PORTS, managementAddress, managementUrl, type OpsService } from './management/management-address.ts';
export { HealthChecks, type HealthReport, type Probe } from './health/health-checks.ts';
export { ServiceMetrics } from './metrics/service-metrics.ts';
export { RotatingFile } from './logging/rotating-file.ts';
export { FSCPUSH_BUILD } from './version.ts';
