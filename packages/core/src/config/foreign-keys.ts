import { closest, distance } from 'fastest-levenshtein';
import { CONFIG_KEYS, LEGACY_KEYS, type ConfigKey } from './keys.ts';

/**
 * Keys of FShareChat's release files that are not fscpush keys: the Spring Boot, Dubbo, logback and
 * Java-library settings every one of its three application.properties carries. Each is either honoured
 * under fscpush's key (same meaning) or accepted with one warning saying what fscpush does instead. A key
 * in none of these namespaces, or a near miss of a key fscpush reads, is still refused, with a suggestion.
 */
export type ForeignVerdict =
  | { kind: 'alias'; key: ConfigKey; value: string }
  | { kind: 'warn'; message: string }
  | { kind: 'unknown'; suggestion?: string };

interface ForeignAlias {
  key: ConfigKey;
  /** Spring's spelling of the value, turned into fscpush's. */
  value?: (raw: string) => string;
}

// Spring Boot's level names are upper-case and say OFF where pino says silent.
const springLevel = (raw: string): string => (raw.trim().toLowerCase() === 'off' ? 'silent' : raw.trim().toLowerCase());

/** Same meaning under another name: the value is read as fscpush's key (which wins when both are set). */
export const FOREIGN_ALIASES: Record<string, ForeignAlias> = {
  'logging.level.root': { key: 'log.level', value: springLevel },
  'logging.file.name': { key: 'logging.file' },
  'dubbo.consumer.timeout': { key: 'rpc.timeout.ms' },
  'management.server.port': { key: 'management.port' },
  'management.server.address': { key: 'management.address' },
  'spring.datasource.url': { key: 'im.jdbc_url' },
  'spring.datasource.username': { key: 'im.user' },
  'spring.datasource.password': { key: 'im.password' },
};

const NO_SPRING = 'fscpush has no Spring container; nothing to set';
const PEM_HTTPS = 'Java keystores (PKCS12/JKS) are not read: convert the certificate to PEM and set server.ssl.cert/server.ssl.key';
const RPC_FIXED = "fscpush's RPC is its own (ZooKeeper registry in Dubbo's layout); its settings are dubbo.registry.address, dubbo.protocol.host, dubbo.protocol.port and rpc.timeout.ms";

/** Exact names, with what fscpush does instead. */
export const FOREIGN_KEYS: Record<string, string> = {
  'spring.main.allow-bean-definition-overriding': NO_SPRING,
  'spring.profiles.active': 'no profiles: one application.properties per service, FSCPUSH_<KEY> environment variables override it',
  'server.port': 'the all-in-one server listens on push.api.port (push-api) and server.http.port (login); run as push-api it is push-api\'s port',
  'dubbo.application.name': 'each process registers under its service name (push-group, push-connector, push-api)',
  'dubbo.scan.base-packages': 'no classpath scanning: the services are fixed',
  'dubbo.protocol.name': RPC_FIXED,
  'dubbo.consumer.check': 'fscpush does not check providers at start: a call made while none is registered fails with RPC_NO_PROVIDER',
  'dubbo.provider.timeout': 'the caller\'s timeout applies: rpc.timeout.ms',
  'logging.config': 'logback is Java-only: fscpush writes JSON lines to logging.file (stdout when empty), rotated by logging.file.max-size/max-history, at log.level',
  'logging.path': 'set the log file itself with logging.file',
};

/** Whole namespaces, longest prefix first when matched. */
export const FOREIGN_NAMESPACES: Record<string, string> = {
  'spring.datasource.': 'the driver and pool are built in: the database is im.jdbc_url, im.user, im.password, pool im.pool.size',
  'spring.http.': "Spring's HTTP encoding settings: fscpush's HTTP servers always speak UTF-8 JSON",
  'spring.': NO_SPRING,
  'server.ssl.': PEM_HTTPS,
  'server.tomcat.': "Tomcat settings: fscpush's HTTP servers are Node's, configured by server.address, server.http.port, push.api.port",
  'server.servlet.': "Tomcat settings: fscpush's HTTP servers are Node's, configured by server.address, server.http.port, push.api.port",
  'server.': "Spring Boot server setting: fscpush's HTTP servers are configured by server.address, server.http.port, push.api.port and server.ssl.cert/key",
  'dubbo.': RPC_FIXED,
  'logging.level.': 'per-logger levels name Java packages: fscpush has one level, log.level',
  'logging.pattern.': 'fscpush logs JSON lines (one object per line); there is no pattern',
  'logging.': 'logback setting: fscpush logs JSON lines to logging.file at log.level',
  'management.': "Spring Actuator setting: fscpush's management port (management.port, management.address) always serves /health, /health/live and /metrics",
  'push.redis.': 'Redis is not used: sessions, codes and counters live in Hazelcast (hazelcast.members), or in memory in the all-in-one server',
  'kurento.': 'group audio/video calls through a Kurento media server are not served by fscpush; the key is ignored',
  'c3p0.': 'the database pool is im.pool.size connections per process',
};

/** A namespace match this close to a key fscpush reads is a typo of that key, not a Spring setting. */
const TYPO_DISTANCE = 2;

let knownNames: string[] | undefined;

/** Every name the loader accepts as fscpush's own (keys and their aliases). */
function honouredNames(): string[] {
  knownNames ??= [
    ...Object.keys(CONFIG_KEYS),
    ...Object.values(CONFIG_KEYS).flatMap((spec) => ('aliases' in spec ? [...(spec.aliases as readonly string[])] : [])),
    ...Object.keys(FOREIGN_ALIASES),
  ];
  return knownNames;
}

/** The honoured name a misspelt one most likely meant, if it is close enough to be a typo. */
export function suggestKey(name: string): string | undefined {
  const candidates = [...honouredNames(), ...Object.keys(LEGACY_KEYS)];
  const best = closest(name, candidates);
  const limit = Math.max(TYPO_DISTANCE, Math.floor(name.length / 5));
  return distance(name, best) <= limit ? best : undefined;
}

function namespaceOf(name: string): string | undefined {
  let match: string | undefined;
  for (const prefix of Object.keys(FOREIGN_NAMESPACES)) {
    if (name.startsWith(prefix) && name.length > prefix.length && (match === undefined || prefix.length > match.length)) match = prefix;
  }
  return match;
}

/** What to do with a file key that is neither an fscpush key, an alias of one, nor a legacy key. */
export function classifyForeignKey(name: string, value: string): ForeignVerdict {
  if (Object.hasOwn(FOREIGN_ALIASES, name)) {
    const alias = FOREIGN_ALIASES[name]!;
    return { kind: 'alias', key: alias.key, value: alias.value ? alias.value(value) : value.trim() };
  }
  if (Object.hasOwn(FOREIGN_KEYS, name)) return { kind: 'warn', message: FOREIGN_KEYS[name]! };
  const namespace = namespaceOf(name);
  const nearest = honouredNames().find((known) => distance(name, known) <= TYPO_DISTANCE);
  if (namespace !== undefined && nearest === undefined) return { kind: 'warn', message: FOREIGN_NAMESPACES[namespace]! };
  const suggestion = nearest ?? suggestKey(name);
  return suggestion === undefined ? { kind: 'unknown' } : { kind: 'unknown', suggestion };
}
