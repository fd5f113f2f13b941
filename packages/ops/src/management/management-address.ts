import type { ConfigValues } from '@fscpush/core';

export type OpsService = 'all' | 'push-connector' | 'push-group' | 'push-api';

/** Defaults of management.port: beside FShareChat's Dubbo ports (7461/7463) so one host can run all three. */
export const DEFAULT_MANAGEMENT_PORTS: Record<OpsService, number> = { all: 9460, 'push-connector': 9461, 'push-group': 9463, 'push-api': 9465 };

export function managementAddress(config: ConfigValues, service: OpsService): { host: string; port: number } {
  const port = config['management.port'];
  return {
    host: config['management.address'] !== '' ? config['management.address'] : config['server.address'],
    port: port === '' ? DEFAULT_MANAGEMENT_PORTS[service] : port,
  };
}

/** The URL a local client (start script, health command) reaches the management port at. */
export function managementUrl(config: ConfigValues, service: OpsService): string {
  const { host, port } = managementAddress(config, service);
  const local = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${port}`;
}
