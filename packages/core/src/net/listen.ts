import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { FscError } from '../errors.ts';

export interface TlsFiles {
  cert: string;
  key: string;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** Reads a PEM pair; both empty = no TLS; one without the other is a configuration error. */
export function loadTls(certKey: string, certPath: string, keyKey: string, keyPath: string): TlsMaterial | undefined {
  if (certPath === '' && keyPath === '') return undefined;
  if (certPath === '' || keyPath === '') {
    throw new FscError('CONFIG_INVALID', `${certPath === '' ? certKey : keyKey}: required when ${certPath === '' ? keyKey : certKey} is set`);
  }
  try {
    return { cert: readFileSync(certPath), key: readFileSync(keyPath) };
  } catch (err) {
    throw new FscError('CONFIG_INVALID', `${certKey}/${keyKey}: cannot read PEM files (${(err as Error).message})`);
  }
}

/** Starts an HTTP or (with TLS material) HTTPS server and resolves once it listens. */
export async function listenHttp(handler: RequestListener, host: string, port: number, tls?: TlsMaterial): Promise<Server> {
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler);
  await listen(server, host, port);
  return server;
}

/** `reusePort`: several listeners of this process share the port (Linux SO_REUSEPORT; the kernel spreads connections). */
export function listen(server: Server | import('node:net').Server, host: string, port: number, options: { reusePort?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ port, host, ...(options.reusePort === true && { reusePort: true }) }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export function boundPort(server: { address(): AddressInfo | string | null }): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Stops accepting, lets in-flight requests finish, then drops idle keep-alive connections. */
export function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
