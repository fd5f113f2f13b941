import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type ConfigKey } from '@fscpush/core';
import { deriveConnectPassword } from '@fscpush/protocol';
import { TcpImClient, WsImClient, type ChatClient } from '@fscpush/testkit';
import { startEmbedded, type EmbeddedServer } from '../src/index.ts';

export const TEST_SUPER_CODE = '918273';

export interface LoggedIn {
  userId: string;
  token: string;
  clientId: string;
}

/** Collects the server's JSON log lines so tests can read what the `log` SMS provider "sent". */
class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        this.lines.push(entry);
        if (process.env['FSCPUSH_TEST_LOG'] === '1' || (entry['level'] as number) >= 50) process.stderr.write(`${line}\n`);
      } catch {
        // not JSON: ignore
      }
    }
    done();
  }
}

export class TestServer {
  readonly server: EmbeddedServer;
  readonly dataDir: string;
  private readonly capture: LogCapture;
  private readonly clients: ChatClient[] = [];

  private constructor(server: EmbeddedServer, dataDir: string, capture: LogCapture) {
    this.server = server;
    this.dataDir = dataDir;
    this.capture = capture;
  }

  static async start(options: { dataDir?: string; overrides?: Partial<Record<ConfigKey, string | number>> } = {}): Promise<TestServer> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fscpush-test-'));
    const capture = new LogCapture();
    const server = await startEmbedded({
      strictRpc: true,
      log: createLogger('fscpush-test', { level: 'debug', destination: capture }),
      overrides: {
        'fscpush.data.dir': dataDir,
        'server.address': '127.0.0.1',
        'push.tcp.port': 0,
        'push.ws.port': 0,
        'server.http.port': 0,
        'push.api.port': 0,
        'media.http.port': 0,
        'management.port': 0,
        'sms.superCode': TEST_SUPER_CODE,
        ...options.overrides,
      },
    });
    return new TestServer(server, dataDir, capture);
  }

  get loginUrl(): string {
    return `http://127.0.0.1:${this.server.ports.login}`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.server.ports.api}`;
  }

  /** The last verification code the log SMS provider wrote for `mobile`. */
  smsCode(mobile: string): string | undefined {
    const line = [...this.capture.lines].reverse().find((l) => l['mobile'] === mobile && typeof l['code'] === 'string');
    return line?.['code'] as string | undefined;
  }

  /**
   * The log lines matching `predicate`, waiting up to `timeoutMs` for the first: lines of the connector
   * thread reach this thread's logger a loop turn after what they describe. [] if none came.
   */
  async logLines(predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 2000): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.capture.lines.filter(predicate);
      if (lines.length > 0 || Date.now() >= deadline) return lines;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async post(path: string, body: unknown, base = this.loginUrl): Promise<{ status: number; json: any }> {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  }

  /** Logs in with the configured super code (tests of the SMS flow use sendCode + smsCode instead). */
  async login(mobile: string, clientId: string): Promise<LoggedIn> {
    const { json } = await this.post('/login', { mobile, code: TEST_SUPER_CODE, clientId });
    if (json.code !== 0) throw new Error(`login failed: ${JSON.stringify(json)}`);
    return { userId: json.result.userId, token: json.result.token, clientId };
  }

  /** Connects a protocol client as a logged-in device; the password is derived as that client type does it. */
  async connect(transport: 'tcp' | 'ws', who: LoggedIn, options: { path?: string } = {}): Promise<ChatClient> {
    const client: ChatClient = transport === 'tcp' ? new TcpImClient() : new WsImClient();
    this.clients.push(client);
    const result = await client.connect({
      host: '127.0.0.1',
      port: transport === 'tcp' ? this.server.ports.tcp : this.server.ports.ws,
      path: options.path ?? '/ws',
      userName: who.userId,
      password: deriveConnectPassword(who.token, { webQuirks: transport === 'ws' }),
      clientId: who.clientId,
    });
    if (!result.accepted) throw new Error(`CONNECT refused: ${result.code}`);
    return client;
  }

  newClient(transport: 'tcp' | 'ws'): ChatClient {
    const client: ChatClient = transport === 'tcp' ? new TcpImClient() : new WsImClient();
    this.clients.push(client);
    return client;
  }

  /** Closes every client, then the server; keeps the data dir unless `wipe`. */
  async stop(wipe = true): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.close()));
    await this.server.close();
    if (wipe) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Pulls until a pull brings nothing new (everything committed before it); returns every message in order. */
export async function pullAll(client: ChatClient, from: string): Promise<{ messages: { messageId: string; text: string; from: string }[]; cursor: string }> {
  const messages: { messageId: string; text: string; from: string }[] = [];
  let cursor = from;
  for (let round = 0; round < 1000; round++) {
    const result = await client.pull(cursor, 0);
    if (!result.ok) throw new Error('pull failed');
    for (const m of result.messages) messages.push({ messageId: m.messageId, text: m.content.searchableContent, from: m.from });
    // a pull that brings nothing new was answered from the store: caught up as of that pull (a connector's
    // answer from announced entries stops at the newest notify it has seen, which may lag a fresh ack)
    if (result.current === cursor) return { messages, cursor };
    cursor = result.current;
  }
  throw new Error('pull did not converge');
}
