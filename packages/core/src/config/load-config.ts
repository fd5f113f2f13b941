import { readFileSync, existsSync } from 'node:fs';
import { getProperties } from 'properties-file';
import { FscError } from '../errors.ts';
import { CONFIG_KEYS, LEGACY_KEYS, type ConfigKey, type ConfigValues, type KeySpec } from './keys.ts';
import { classifyForeignKey } from './foreign-keys.ts';
import { modeFindings } from './service-mode.ts';

export interface ConfigSource {
  /** application.properties to read; missing file = defaults only. */
  file?: string;
  /** Environment to read overrides from (FSCPUSH_ + key upper-cased with . and - as _). */
  env?: NodeJS.ProcessEnv;
  /** Highest priority, e.g. from command-line flags or tests. */
  overrides?: Partial<Record<ConfigKey, string | number>>;
  /**
   * The service this file configures, for FShareChat keys whose meaning depends on it: `server.port`
   * is push-api's HTTP port, and only a JVM probe port for the others.
   */
  service?: 'push-group' | 'push-connector' | 'push-api';
}

const SERVICE_KEY_ALIASES: Record<string, Record<string, ConfigKey | string>> = {
  'push-api': { 'server.port': 'push.api.port' },
  'push-group': { 'server.port': 'the login HTTP port is server.http.port; https comes from server.ssl.cert/server.ssl.key' },
  'push-connector': { 'server.port': 'a JVM probe port; the connector listens on push.tcp.port and push.ws.port' },
};

export interface LoadedConfig {
  values: ConfigValues;
  /** Keys that were accepted but are ignored, with advice; the launcher logs them. */
  warnings: string[];
}

const ALIAS_TO_KEY = new Map<string, ConfigKey>();
for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, { aliases?: readonly string[] }][]) {
  for (const alias of spec.aliases ?? []) ALIAS_TO_KEY.set(alias, key);
}

export function envNameOf(key: string): string {
  return 'FSCPUSH_' + key.toUpperCase().replace(/[.-]/g, '_');
}

/** Reads file, environment and overrides; reports every unknown or invalid key at once, naming each. */
export function loadConfig(source: ConfigSource = {}): LoadedConfig {
  const raw = new Map<ConfigKey, string>();
  const problems: string[] = [];
  const warnings: string[] = [];
  // FShareChat spellings of fscpush keys; the fscpush spelling wins when a file has both
  const aliased = new Map<ConfigKey, string>();

  if (source.file !== undefined && existsSync(source.file)) {
    const props = getProperties(readFileSync(source.file, 'utf8'));
    const serviceAliases = source.service ? SERVICE_KEY_ALIASES[source.service] ?? {} : {};
    for (const [name, value] of Object.entries(props)) {
      const serviceMeaning = Object.hasOwn(serviceAliases, name) ? serviceAliases[name] : undefined;
      const key = serviceMeaning !== undefined && Object.hasOwn(CONFIG_KEYS, serviceMeaning) ? (serviceMeaning as ConfigKey) : resolveKey(name);
      if (serviceMeaning !== undefined && key === undefined) warnings.push(`${name}: ignored for ${source.service}: ${serviceMeaning}`);
      else if (key) raw.set(key, value.trim());
      else if (Object.hasOwn(LEGACY_KEYS, name)) warnings.push(`${name}: ${LEGACY_KEYS[name]}`);
      else {
        const foreign = classifyForeignKey(name, value);
        if (foreign.kind === 'alias') aliased.set(foreign.key, foreign.value);
        else if (foreign.kind === 'warn') warnings.push(`${name}: ${foreign.message}`);
        else problems.push(`${name}: unknown key (in ${source.file})${foreign.suggestion === undefined ? '' : `; did you mean ${foreign.suggestion}?`}`);
      }
    }
  }
  for (const [key, value] of aliased) if (!raw.has(key)) raw.set(key, value);
  const env = source.env ?? {};
  for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
    const value = env[envNameOf(key)];
    if (value !== undefined) raw.set(key, value.trim());
  }
  for (const [key, value] of Object.entries(source.overrides ?? {})) {
    const resolved = resolveKey(key);
    if (!resolved) problems.push(`${key}: unknown key (override)`);
    else if (value !== undefined) raw.set(resolved, String(value));
  }

  const mode = modeFindings(source.service, raw);
  problems.push(...mode.problems);
  warnings.push(...mode.warnings);

  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
    const input = raw.get(key) ?? spec.default;
    const parsed = spec.schema.safeParse(input);
    if (parsed.success) values[key] = parsed.data;
    else {
      const shown = (spec as KeySpec).secret === true ? '(secret, not shown)' : JSON.stringify(input);
      problems.push(`${key}: invalid value ${shown} (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    }
  }
  if (problems.length > 0) {
    throw new FscError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  return { values: Object.freeze(values) as ConfigValues, warnings };
}

function resolveKey(name: string): ConfigKey | undefined {
  if (Object.hasOwn(CONFIG_KEYS, name)) return name as ConfigKey;
  return ALIAS_TO_KEY.get(name);
}
