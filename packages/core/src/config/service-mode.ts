import type { ConfigKey } from './keys.ts';

type Service = 'push-group' | 'push-connector' | 'push-api';

/**
 * What the run mode keys mean for the process being configured (undefined = the all-in-one server):
 * a service runs in cluster mode, so an explicit fscpush.mode=embedded there is a mistake, not something
 * to ignore; im.embed_db picks the store of push-group/push-api, and has nothing to pick elsewhere.
 */
export function modeFindings(service: Service | undefined, raw: ReadonlyMap<ConfigKey, string>): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const mode = raw.get('fscpush.mode');
  const embedDb = raw.get('im.embed_db');
  if (service !== undefined && mode === 'embedded') {
    problems.push(
      `fscpush.mode: "embedded" is the all-in-one server (fscpush all, npm start); ${service} runs as its own process in cluster mode ` +
        '(ZooKeeper registry, Kafka bus): remove the key or set fscpush.mode=cluster' +
        (service === 'push-connector' ? '' : `; to keep ${service}'s data in a local SQLite file instead of MySQL set im.embed_db=1`),
    );
  }
  if (service === undefined && (embedDb === '0' || embedDb === 'false')) {
    warnings.push('im.embed_db: the all-in-one server always keeps its data in its SQLite file (<data dir>/fscpush.sqlite); MySQL (im.jdbc_url) is for push-group and push-api run as their own services');
  }
  if (service === 'push-connector' && embedDb !== undefined) warnings.push('im.embed_db: push-connector keeps no data of its own; the key is for push-group and push-api');
  return { problems, warnings };
}
