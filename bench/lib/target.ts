/**
 * What the load generator talks to: connector endpoints (several in cluster mode; clients are spread
 * over them round-robin), the login URL, the admin API, and the server processes to sample. The
 * embedded server started by the bench fills this in; `--target` options fill it for a server that
 * runs elsewhere on this machine.
 */
export interface Endpoint {
  host: string;
  port: number;
  /** WebSocket path, default /ws */
  path?: string;
}

export interface ServerProcess {
  name: string;
  pid: number;
}

export interface Target {
  tcp: Endpoint[];
  ws: Endpoint[];
  loginUrl: string;
  apiUrl: string;
  adminSecret: string;
  superCode: string;
  processes: ServerProcess[];
  /** asks the bench's own server child for a heap sample (undefined for external servers) */
  probe?: () => Promise<HeapSample | undefined>;
}

export interface HeapSample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export function parseEndpoints(list: string): Endpoint[] {
  return list.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const match = /^(.+):(\d+)(\/.*)?$/.exec(s);
    if (!match) throw new Error(`bad endpoint ${s}: use host:port[/path]`);
    return { host: match[1]!, port: Number(match[2]), ...(match[3] !== undefined && { path: match[3] }) };
  });
}
