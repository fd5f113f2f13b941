import { FscError, type Logger } from '@fscpush/core';

/**
 * Options of the Hazelcast grid. Only `clusterName` and `members` are required; every other value has a
 * bounded default (no call into the grid waits forever). Times are milliseconds.
 */
export interface HazelcastGridOptions {
  /** The members' cluster name (hazelcast.yaml `cluster-name`). */
  clusterName: string;
  /** Members to connect to first, "host:port" (use 127.0.0.1, not localhost, on the dev stack). */
  members: string[];
  /** Where the grid and hazelcast-client log; silent when absent. */
  log?: Logger;
  /** Prefix of every IMap name: grid map "online-sessions" is IMap "fscpush.online-sessions". Default "fscpush.". */
  mapPrefix?: string;
  /** Client name shown in the members' logs and Management Center. Default: hazelcast-client's own (hz.client_N). */
  clientName?: string;

  /** Upper bound for createHazelcastGrid() to reach the cluster; after that it fails with GRID_UNAVAILABLE. Default 10000. */
  connectTimeoutMs?: number;
  /** Upper bound of one call to a member (get, set, replace, ...): during an outage calls fail with GRID_UNAVAILABLE after this long. Default 5000. */
  operationTimeoutMs?: number;
  /** Upper bound of one update()/increment() compare-and-set loop, retries included. Default 10000. */
  updateTimeoutMs?: number;
  /** The client closes a connection whose member sent nothing for this long (a frozen or unreachable member). Default 15000. */
  heartbeatTimeoutMs?: number;
  /** Largest pause between reconnection attempts (the client reconnects on its own, for as long as it runs). Default 2000. */
  reconnectMaxBackoffMs?: number;
  /** Upper bound of close(). Default 5000. */
  closeTimeoutMs?: number;
}

export type ResolvedHazelcastGridOptions = Required<Omit<HazelcastGridOptions, 'log' | 'clientName'>> & {
  log: Logger | undefined;
  clientName: string | undefined;
};

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  operationTimeoutMs: 5000,
  updateTimeoutMs: 10_000,
  heartbeatTimeoutMs: 15_000,
  reconnectMaxBackoffMs: 2000,
  closeTimeoutMs: 5000,
} as const;

/** Fills in the defaults and checks every value; all problems are reported at once (CONFIG_INVALID). */
export function resolveHazelcastGridOptions(options: HazelcastGridOptions): ResolvedHazelcastGridOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<HazelcastGridOptions>;
  const resolved: ResolvedHazelcastGridOptions = {
    ...DEFAULTS,
    mapPrefix: 'fscpush.',
    ...given,
    clusterName: options.clusterName,
    members: options.members,
    log: options.log,
    clientName: options.clientName,
  };
  const problems: string[] = [];
  if (typeof resolved.clusterName !== 'string' || resolved.clusterName === '') problems.push('clusterName: a non-empty string');
  if (!Array.isArray(resolved.members) || resolved.members.length === 0) problems.push('members: at least one "host:port"');
  else for (const member of resolved.members) if (!/^[^\s:]+:\d{1,5}$/.test(member)) problems.push(`members: "${member}" is not host:port`);
  if (typeof resolved.mapPrefix !== 'string') problems.push('mapPrefix: a string');
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 1) problems.push(`${key}: an integer >= 1 (got ${String(value)})`);
  }
  if (problems.length > 0) throw new FscError('CONFIG_INVALID', `invalid Hazelcast grid options: ${problems.join('; ')}`, { problems });
  return Object.freeze(resolved);
}
