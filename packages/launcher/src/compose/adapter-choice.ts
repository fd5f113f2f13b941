import { FscError, type ConfigValues } from '@fscpush/core';

export type PortName = 'registry' | 'bus' | 'grid' | 'store' | 'media';
export type RunMode = 'embedded' | 'cluster';

/**
 * Every adapter the launcher can build, by port and name, with the run modes it works in. Process-local
 * adapters cannot serve a cluster (another process would not see them); the all-in-one server keeps its
 * registry in process (its connector threads are nodes of it) and its store and media in its data dir.
 */
export const ADAPTER_CATALOG: Readonly<Record<PortName, Readonly<Record<string, readonly RunMode[]>>>> = {
  registry: { memory: ['embedded'], zookeeper: ['cluster'] },
  bus: { memory: ['embedded'], kafka: ['embedded', 'cluster'] },
  grid: { memory: ['embedded'], hazelcast: ['embedded', 'cluster'] },
  store: { sqlite: ['embedded', 'cluster'], mysql: ['cluster'] },
  media: { 'local-files': ['embedded'], minio: ['cluster'] },
};

export type AdapterChoices = Readonly<Record<PortName, string>>;

const keyOf = (port: PortName) => `fscpush.${port}` as const;

function defaults(mode: RunMode, config: ConfigValues): AdapterChoices {
  if (mode === 'embedded') return { registry: 'memory', bus: 'memory', grid: 'memory', store: 'sqlite', media: 'local-files' };
  return { registry: 'zookeeper', bus: 'kafka', grid: 'hazelcast', store: config['im.embed_db'] ? 'sqlite' : 'mysql', media: 'minio' };
}

/**
 * The adapter of each port: the configured name or the mode's default. An unknown name, or one that does
 * not work in this mode, stops the start with CONFIG_INVALID naming the key and what it may be.
 */
export function chooseAdapters(mode: RunMode, config: ConfigValues): AdapterChoices {
  const chosen = { ...defaults(mode, config) };
  const problems: string[] = [];
  for (const port of Object.keys(ADAPTER_CATALOG) as PortName[]) {
    const name = config[keyOf(port)];
    if (name === '') continue;
    const known = ADAPTER_CATALOG[port];
    const usable = Object.keys(known).filter((n) => known[n]!.includes(mode));
    const modes = known[name];
    if (modes === undefined) problems.push(`${keyOf(port)}: no ${port} adapter named "${name}"; one of ${Object.keys(known).join(', ')}`);
    else if (!modes.includes(mode)) problems.push(`${keyOf(port)}: the ${name} ${port} does not work in ${mode} mode (${mode === 'cluster' ? 'other processes would not see it' : 'the all-in-one server keeps it in process'}); here: ${usable.join(', ')}`);
    else chosen[port] = name;
  }
  if (problems.length > 0) throw new FscError('CONFIG_INVALID', problems.join('\n'));
  return chosen;
}
