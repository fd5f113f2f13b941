import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { FscError, boundPort, closeHttp, listen, type ConfigValues, type Logger, type TlsMaterial } from '@fscpush/core';
import { LocalFileStorage, createLocalMediaListener } from '@fscpush/adapter-local-files';

export interface EmbeddedMedia {
  readonly storage: LocalFileStorage;
  /** What another thread needs to open the same storage (the connector thread signs upload URLs with it). */
  readonly localStorage: { root: string; publicUrl: string; signingSecret: Uint8Array };
  readonly port: number;
  readonly publicUrl: string;
  close(): Promise<void>;
}

const SECRET_FILE = 'media-signing-key';
const SECRET_BYTES = 32;
// Node's 5-minute default would cut off a 200 MB upload below ~6 Mbit/s.
const UPLOAD_REQUEST_TIMEOUT_MS = 30 * 60_000;
const FORCE_CLOSE_AFTER_MS = 2_000;

/** Media objects under <data dir>/media, served and uploaded on media.http.port with URLs signed by a per-install key. */
export async function startEmbeddedMedia(config: ConfigValues, dataDir: string, tls: TlsMaterial | undefined, log: Logger): Promise<EmbeddedMedia> {
  const signingSecret = installSigningSecret(join(dataDir, SECRET_FILE), log);
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }) : createHttpServer();
  server.requestTimeout = UPLOAD_REQUEST_TIMEOUT_MS;
  await listen(server, config['server.address'], config['media.http.port']);
  const port = boundPort(server);
  const publicUrl = config['media.public.url'] !== '' ? config['media.public.url'] : defaultPublicUrl(config['server.address'], port, tls !== undefined, log);
  const localStorage = { root: join(dataDir, 'media'), publicUrl, signingSecret };
  const storage = new LocalFileStorage(localStorage.root, { publicUrl, signingSecret });
  server.on('request', createLocalMediaListener(storage, log));
  log.info({ port, publicUrl }, 'media endpoint listening');
  return {
    storage,
    localStorage,
    port,
    publicUrl,
    async close() {
      const closed = closeHttp(server);
      setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_AFTER_MS).unref();
      await closed;
      await storage.close();
    },
  };
}

function defaultPublicUrl(address: string, port: number, https: boolean, log: Logger): string {
  const wildcard = address === '0.0.0.0' || address === '::';
  if (wildcard) log.warn({ port }, 'media.public.url not set and server.address is a wildcard: upload URLs name 127.0.0.1, which remote clients cannot reach');
  const host = wildcard ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `${https ? 'https' : 'http'}://${host}:${port}`;
}

/** Random per install, created on first start, readable only by the server's user. */
function installSigningSecret(file: string, log: Logger): Buffer {
  try {
    writeFileSync(file, `${randomBytes(SECRET_BYTES).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    log.info({ file }, 'generated the media upload signing key');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  if (secret.length < SECRET_BYTES) throw new FscError('CONFIG_INVALID', `${file}: expected a base64url key of ${SECRET_BYTES} bytes; delete it to generate a new one`);
  return secret;
}
