import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, relative } from 'node:path';
import { boundPort, closeHttp, listen } from '@fscpush/core';
import { LocalFileStorage } from '../src/local-file-storage.ts';
import { createLocalMediaListener } from '../src/local-media-listener.ts';

export interface LocalMediaServer {
  storage: LocalFileStorage;
  /** the media root; `outside` is its parent, where an escape would land */
  root: string;
  outside: string;
  url: string;
  close(): Promise<void>;
}

/** LocalFileStorage behind its HTTP endpoint on an ephemeral loopback port, as the launcher mounts it. */
export async function startLocalMediaServer(outside: string, secret: Uint8Array = randomBytes(32)): Promise<LocalMediaServer> {
  const root = join(outside, 'media');
  mkdirSync(root, { recursive: true });
  const server = createServer();
  await listen(server, '127.0.0.1', 0);
  const url = `http://127.0.0.1:${boundPort(server)}`;
  const storage = new LocalFileStorage(root, { publicUrl: url, signingSecret: secret });
  server.on('request', createLocalMediaListener(storage));
  return {
    storage,
    root,
    outside,
    url,
    /** stops the HTTP endpoint (the storage itself holds nothing to close) */
    async close() {
      server.closeAllConnections();
      await closeHttp(server);
    },
  };
}

/** Every file under dir, relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}
