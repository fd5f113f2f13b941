import { createLogger, type ConnectResult, type MessageDto, type Transport } from '@fscpush/core';
import { Connection, type ConnectionHost, type PublishOutcome } from '../src/connection.ts';
import type { PublishHandler, RequestContext } from '../src/handlers/index.ts';
import type { Push } from '../src/pushes/index.ts';

export interface RecordedAck {
  subSignal: number;
  messageId: number;
  ok: boolean;
  code?: number;
  result?: unknown;
}

/** A connection without a socket: the frames it would write are recorded; tests drive it as a transport would. */
export class RecordingConnection extends Connection {
  readonly written: string[] = [];
  readonly acks: RecordedAck[] = [];
  connectAck: ConnectResult | undefined;
  closedFor: string | undefined;

  constructor(host: ConnectionHost, transport: Transport = 'tcp') {
    super(host, transport, 60_000);
  }

  /** As if open already (for tests of what arrives from the bus). */
  static open(host: ConnectionHost, uid: string, clientId: string): RecordingConnection {
    const conn = new RecordingConnection(host);
    conn.uid = uid;
    conn.clientId = clientId;
    conn.state = 'open';
    return conn;
  }

  connect(userName: string, password: string, clientId: string): Promise<void> {
    return this.onConnect(userName, password, clientId);
  }

  /** A PUBLISH whose body decodes to `request` (or fails to decode when `request` is a thrown error's factory). */
  publish(subSignal: number, messageId: number, request: unknown | (() => never)): void {
    this.onPublish(subSignal, messageId, (_handler: PublishHandler<unknown, unknown>) => (typeof request === 'function' ? (request as () => never)() : request));
  }

  protected writeConnectAck(result: ConnectResult): void {
    this.connectAck = result;
  }

  protected writePubAck(subSignal: number, messageId: number, outcome: PublishOutcome, _ctx: RequestContext): void {
    this.acks.push(outcome.ok ? { subSignal, messageId, ok: true, result: outcome.result } : { subSignal, messageId, ok: false, code: outcome.code });
  }

  push(push: Push): void {
    const { kind, ...fields } = push;
    const text = (value: unknown) => (typeof value === 'object' && value !== null && 'messageId' in value ? (value as MessageDto).messageId : String(value));
    this.written.push([kind, ...Object.values(fields).map(text)].join(' '));
  }

  protected terminate(reason: string): void {
    this.written.push(`CLOSE ${reason}`);
    this.closedFor = reason;
    this.onClosed();
  }
}

export const silentLog = createLogger('test', { level: 'silent' });

/** A connector host for connections under test: services as given (a missing one fails the call), the table recorded. */
export function testHost(services: Partial<Record<keyof ConnectionHost['services'], object>> = {}, over: Partial<ConnectionHost> = {}): ConnectionHost & { attached: Connection[]; detached: Connection[] } {
  const attached: Connection[] = [];
  const detached: Connection[] = [];
  const missing = (name: string) =>
    new Proxy({}, { get: (_t, method) => (method === 'then' ? undefined : async () => Promise.reject(new Error(`${name}.${String(method)} not expected in this test`))) });
  const all = Object.fromEntries(['sessions', 'messages', 'groups', 'users', 'receipts', 'search', 'friends', 'media'].map((name) => [name, services[name as keyof typeof services] ?? missing(name)]));
  return {
    node: 'c-test',
    services: all as unknown as ConnectionHost['services'],
    log: silentLog,
    maxInFlight: 64,
    pullLimits: { entries: 0, maxCount: 10_000, maxBytes: 1 << 20 },
    reports: { add: () => undefined } as unknown as ConnectionHost['reports'],
    attach: (conn) => void attached.push(conn),
    detach: (conn) => void detached.push(conn),
    ...over,
    attached,
    detached,
  };
}
