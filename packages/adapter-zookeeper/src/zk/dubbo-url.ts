import { FscError } from '@fscpush/core';

/**
 * Dubbo's ZooKeeper layout, so Dubbo tooling (dubbo-admin, zkCli) can read fscpush registrations:
 * one EPHEMERAL znode per provider at `<root>/<service>/providers/<encodeURIComponent(url)>`, where
 * url = `fscpush://<host>:<port>/<service>?application=…&node=…&weight=…&pid=…&side=provider&timestamp=…&methods=a,b`.
 */

export const RPC_PROTOCOL = 'fscpush';
export const DEFAULT_WEIGHT = 100;

export interface ProviderUrl {
  host: string;
  port: number;
  service: string;
  application: string;
  nodeId: string;
  weight: number;
  pid: number;
  timestamp: number;
  methods: readonly string[];
}

/** A provider as a consumer sees it: the decoded URL plus its znode name. */
export interface ProviderEntry extends ProviderUrl {
  /** `host:port`: one connection per address. */
  address: string;
  znode: string;
}

const SERVICE_NAME = /^[A-Za-z0-9_$][A-Za-z0-9_.$-]{0,199}$/;
const METHOD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Service names become path segments: letters, digits and `_ . $ -`, like Java interface names. */
export function assertServiceName(service: string): void {
  if (!SERVICE_NAME.test(service)) {
    throw new FscError('INVALID_DATA', `service name "${service}" must match ${SERVICE_NAME.source}`);
  }
}

export function providersPath(root: string, service: string): string {
  return `${root}/${service}/providers`;
}

export function formatProviderUrl(url: ProviderUrl): string {
  const host = url.host.includes(':') ? `[${url.host}]` : url.host;
  const query = [
    `application=${encodeURIComponent(url.application)}`,
    `node=${encodeURIComponent(url.nodeId)}`,
    `weight=${url.weight}`,
    `pid=${url.pid}`,
    'side=provider',
    `timestamp=${url.timestamp}`,
    `methods=${url.methods.filter((m) => METHOD_NAME.test(m)).join(',')}`,
  ].join('&');
  return `${RPC_PROTOCOL}://${host}:${url.port}/${url.service}?${query}`;
}

export function providerZnode(root: string, url: ProviderUrl): string {
  return `${providersPath(root, url.service)}/${encodeURIComponent(formatProviderUrl(url))}`;
}

/** Decodes a child of `<root>/<service>/providers`; undefined for other protocols or malformed names. */
export function parseProviderZnode(znode: string): ProviderEntry | undefined {
  let url: URL;
  try {
    url = new URL(decodeURIComponent(znode));
  } catch {
    return undefined;
  }
  if (url.protocol !== `${RPC_PROTOCOL}:`) return undefined;
  const port = Number(url.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '') return undefined;
  const params = url.searchParams;
  if ((params.get('side') ?? 'provider') !== 'provider') return undefined;
  const weight = Number(params.get('weight') ?? DEFAULT_WEIGHT);
  const address = `${url.hostname}:${port}`;
  return {
    host,
    port,
    service: url.pathname.replace(/^\//, ''),
    application: params.get('application') ?? '',
    nodeId: params.get('node') ?? address,
    weight: Number.isFinite(weight) && weight >= 0 ? weight : DEFAULT_WEIGHT,
    pid: Number(params.get('pid') ?? 0),
    timestamp: Number(params.get('timestamp') ?? 0),
    methods: (params.get('methods') ?? '').split(',').filter((m) => m !== ''),
    address,
    znode,
  };
}

/** Names of the callable methods of `impl` (own and inherited, excluding Object.prototype's). */
export function methodNames(impl: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = impl; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(o, name);
      if (descriptor && typeof descriptor.value === 'function') names.add(name);
    }
  }
  return [...names].sort();
}
