import { z } from 'zod';
import { ADAPTER_KEYS } from './adapter-keys.ts';
import { CLUSTER_KEYS } from './cluster-keys.ts';
import { OPS_KEYS } from './ops-keys.ts';
import { SMS_KEYS } from './sms-keys.ts';

/**
 * Every configuration key fscpush reads. Names follow FShareChat's application.properties where a key
 * exists there; `aliases` are older spellings accepted and mapped. The template in config/ is checked
 * against this table by a test.
 */
export interface KeySpec {
  schema: z.ZodType;
  default: string;
  description: string;
  aliases?: readonly string[];
  /** A secret's value is never logged. */
  secret?: boolean;
}

// An empty value must not coerce to 0 (a random port): require digits before coercing.
const port = z.string().trim().min(1).transform(Number).pipe(z.number().int().min(0).max(65535));
const positiveInt = z.coerce.number().int().positive();
const text = z.string();
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const CONFIG_KEYS = {
  'fscpush.mode': { schema: z.enum(['embedded', 'cluster']), default: 'embedded', description: 'embedded: one process on SQLite/local files/in-process registry, bus and grid; cluster: ZooKeeper, Kafka, Hazelcast, MySQL, MinIO' },
  'fscpush.data.dir': { schema: text.min(1), default: './data', description: 'directory for the embedded database, media files and per-install secrets' },
  'embedded.connector.thread': { schema: z.enum(['auto', 'true', 'false']), default: 'auto', description: 'embedded mode: run push-connector (client sockets, frame codecs) on its own worker thread, so the server uses a second core; auto = when the machine has more than one core; false keeps every service on one thread' },
  'embedded.connector.threads': { schema: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(16)]), default: 'auto', description: "embedded mode, with the connector thread on: how many connector threads share the client ports (SO_REUSEPORT; the kernel spreads connections); auto = twice the cores, at most 8, on Linux and FreeBSD (elsewhere 1). Each holds its own connections, so a group message's fan-out is split between them and a client's request waits behind a smaller burst" },
  'node.id': { schema: z.union([z.literal(''), z.coerce.number().int().min(0).max(1023)]), default: '', description: 'node id 0-1023 for message ids; empty = allocated automatically' },
  'log.level': { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), default: 'info', description: 'log level' },
  'server.address': { schema: text.min(1), default: '127.0.0.1', description: 'address every listener binds to; use 0.0.0.0 to accept remote clients' },
  'embedded.sqlite.cache.mb': { schema: z.coerce.number().int().min(2).max(65536), default: '64', description: "embedded mode: SQLite page cache in MB (the writer's connection). A message to a large group touches one inbox page per online member; a cache that holds them saves reads on every such message" },
  'push.tcp.port': { schema: port, default: '6789', description: 'binary TCP long-connection port (Android SDK)' },
  'push.ws.port': { schema: port, default: '9326', description: 'WebSocket port (web client)' },
  'push.ws.paths': { schema: text.min(1), default: '/,/ws', description: 'comma-separated WebSocket paths accepted' },
  'push.max.frame.bytes': { schema: positiveInt, default: '1048576', description: 'largest TCP frame body or WebSocket message accepted; larger closes the connection' },
  'push.ws.idle.timeout.ms': { schema: positiveInt, default: '60000', description: 'WebSocket connection closed after this long without any frame' },
  'push.tcp.idle.timeout.ms': { schema: positiveInt, default: '120000', description: 'TCP idle timeout until the client sends PING with its interval (then interval + 60 s)' },
  'push.pull.cache.entries': { schema: z.coerce.number().int().min(0).max(4096), default: '32', description: 'per connection, how many announced messages a connector keeps (MN carries the message) to answer the pull that follows itself instead of asking push-group; 0 = every pull goes to push-group' },
  'push.ssl.cert': { schema: text, default: '', description: 'PEM certificate chain; with push.ssl.key turns the WebSocket port into wss (replaces the JKS push.ssl.keystore)' },
  'push.ssl.key': { schema: text, default: '', description: 'PEM private key for push.ssl.cert', secret: true },
  'server.ssl.cert': { schema: text, default: '', description: 'PEM certificate chain; with server.ssl.key serves the login and API HTTP ports over https' },
  'server.ssl.key': { schema: text, default: '', description: 'PEM private key for server.ssl.cert', secret: true },
  'server.http.port': { schema: port, default: '8081', description: 'push-group HTTP port: /send_code, /login' },
  'push.api.port': { schema: port, default: '8080', description: 'push-api HTTP port' },
  'push.api.rate.limit': { schema: z.string().trim().regex(/^\d{1,9}$/).transform(Number), default: '100', description: 'push-api requests per key (an app key, or the admin secret) per rate window; over it answers 429 OVER_FREQUENCY; 0 = no limit' },
  'push.api.rate.window.seconds': { schema: positiveInt, default: '1', description: 'length of the push-api rate-limit window in seconds (counters live in the shared grid)' },
  'im.admin_secret': { schema: text, default: '', description: 'admin secret of push-api (Authorization: Bearer, or header x-admin-secret); it also creates app keys; empty = generated per install into <data dir>/admin-secret', secret: true },
  'sms.superCode': { schema: z.union([z.literal(''), z.string().regex(/^\d{4,8}$/)]), default: '', description: 'a code accepted for every mobile; OFF unless set (testing only)', secret: true },
  'sms.code.ttl.seconds': { schema: positiveInt, default: '300', description: 'how long a verification code is valid' },
  'sms.code.interval.seconds': { schema: positiveInt, default: '60', description: 'minimum seconds between two codes for one mobile' },
  'sms.code.daily.limit': { schema: positiveInt, default: '10', description: 'codes per mobile per day' },
  'login.token.ttl.hours': { schema: positiveInt, default: '8760', description: 'how long a login token (user token inside it) stays valid' },
  'message.pull.max.bytes': { schema: positiveInt, default: '1048576', description: "about this many bytes of messages in one pull result, as FShareChat's pull (a single larger message still goes alone); when more remain, MN names the next seq and the client pulls again" },
  'message.pull.max.count': { schema: positiveInt, default: '10000', description: 'a safety bound on the inbox entries one pull result holds; pulls are sized by message.pull.max.bytes' },
  'message.max.content.bytes': { schema: positiveInt, default: '65536', description: 'largest message content accepted' },
  'group.max.members': { schema: positiveInt, default: '2000', description: 'member limit of a group' },
  'group.lazy.members': { schema: z.coerce.number().int().min(0), default: '500', description: "groups with more members than this store each message once; it goes to the inboxes of members online at send time, the others' inboxes take it when they connect or pull (0 = every group). A group that grew past it stays lazy" },
  'media.http.port': { schema: port, default: '8082', description: 'embedded media HTTP port: clients PUT uploads to signed URLs and GET media objects (https when server.ssl.* is set)' },
  'media.public.url': { schema: z.union([z.literal(''), z.string().regex(/^https?:\/\/[^\s?#]+$/)]), default: '', description: 'base URL clients reach the media port at (e.g. behind a proxy https://media.example.com); upload replies name <this>/<bucket> as the domain; empty = http(s)://<server.address, or 127.0.0.1 if it is a wildcard>:<media.http.port>' },
  'media.bucket.prefix': { schema: z.string().regex(/^(?:[a-z0-9][a-z0-9-]{0,39})?$/), default: 'minio-bucket-', description: "bucket names are <prefix><type>-name for the media types general, image, voice, video, file, portrait, favorite (FShareChat's minio-bucket-image-name)" },
  'media.upload.expiry.seconds': { schema: z.coerce.number().int().min(1).max(604800), default: '900', description: 'how long a GMURL upload URL stays valid' },
  'media.max.bytes.general': { schema: positiveInt, default: '209715200', description: 'largest upload of media type 0 (general)' },
  'media.max.bytes.image': { schema: positiveInt, default: '20971520', description: 'largest upload of media type 1 (image)' },
  'media.max.bytes.voice': { schema: positiveInt, default: '20971520', description: 'largest upload of media type 2 (voice)' },
  'media.max.bytes.video': { schema: positiveInt, default: '209715200', description: 'largest upload of media type 3 (video)' },
  'media.max.bytes.file': { schema: positiveInt, default: '209715200', description: 'largest upload of media type 4 (file)' },
  'media.max.bytes.portrait': { schema: positiveInt, default: '20971520', description: 'largest upload of media type 5 (portrait)' },
  'media.max.bytes.favorite': { schema: positiveInt, default: '209715200', description: 'largest upload of media type 6 (favorite)' },
  'shutdown.timeout.ms': { schema: positiveInt, default: '10000', description: 'graceful shutdown: time to drain before closing forcibly' },
  ...ADAPTER_KEYS,
  ...CLUSTER_KEYS,
  ...OPS_KEYS,
  ...SMS_KEYS,
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
export type ConfigValues = { readonly [K in ConfigKey]: z.output<(typeof CONFIG_KEYS)[K]['schema']> };

export const FLAG_SCHEMA = flag;

/** FShareChat keys that name Java-only things: accepted so old files load, reported with what to use instead. */
export const LEGACY_KEYS: Record<string, string> = {
  'push.ssl.keystore': 'JKS keystores are Java-only: convert to PEM and set push.ssl.cert/push.ssl.key',
  'push.ssl.truststore': 'JKS keystores are Java-only: convert to PEM and set push.ssl.cert/push.ssl.key',
  'push.ssl.password': 'not needed with PEM files',
  'spring.application.name': 'each process is named by its service command (push-group, push-connector, push-api)',
};
