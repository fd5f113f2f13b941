import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { WebSocketServer } from 'ws';
import { CALL_POLICIES, SERVICE_NAMES, boundPort, listen, type ConfigValues, type FriendService, type GroupService, type Logger, type MessageService, type ReceiptService, type SearchService, type SessionService, type TlsMaterial, type UserService } from '@fscpush/core';
import type { MessageBus, ObjectStorage, ServiceRegistry, Subscription } from '@fscpush/ports';
import type { Connection, ConnectionHost } from './connection.ts';
import { ConnectionTable } from './connection-table.ts';
import { MediaUploads, mediaUploadSettings } from './media-uploads.ts';
import { consumeDeliveries } from './delivery-consumer.ts';
import { RejectedEvents, type RejectedEventCount } from './rejected-events.ts';
import { DeliveryReports } from './delivery-reports.ts';
import type { ConnectorServices } from './services.ts';
import { TcpConnection } from './tcp-connection.ts';
import { WsConnection } from './ws-connection.ts';

export interface PushConnectorDeps {
  config: ConfigValues;
  node: string;
  registry: ServiceRegistry;
  bus: MessageBus;
  log: Logger;
  wsTls?: TlsMaterial;
  /** media objects: GMURL signs upload URLs on it; its buckets are created at start */
  storage: ObjectStorage;
  /**
   * Several connectors of one process share the client ports (embedded: one per connector thread): each
   * listens with SO_REUSEPORT, on these ports when given (the first one's bound ports), else the configured ones.
   */
  sharedPorts?: { tcp?: number; ws?: number };
}

export interface PushConnector {
  readonly tcpPort: number;
  readonly wsPort: number;
  readonly table: ConnectionTable;
  /** delivery events skipped as unreadable, by reason and kind */
  rejectedEvents(): RejectedEventCount[];
  /** stop accepting, close every connection, stop consuming deliveries */
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 5_000;
const MAX_IN_FLIGHT = 64;
const CONNECT_TIMEOUT_MS = 30_000;

/** push-connector: holds client connections (TCP 6789, WebSocket 9326) and relays them to push-group. */
export async function startPushConnector(deps: PushConnectorDeps): Promise<PushConnector> {
  const { config, log } = deps;
  const media = new MediaUploads(deps.storage, mediaUploadSettings(config), log);
  await media.ensureBuckets();
  const services: ConnectorServices = {
    sessions: deps.registry.consume<SessionService>(SERVICE_NAMES.sessions, CALL_POLICIES.sessions),
    messages: deps.registry.consume<MessageService>(SERVICE_NAMES.messages, CALL_POLICIES.messages),
    groups: deps.registry.consume<GroupService>(SERVICE_NAMES.groups, CALL_POLICIES.groups),
    users: deps.registry.consume<UserService>(SERVICE_NAMES.users, CALL_POLICIES.users),
    receipts: deps.registry.consume<ReceiptService>(SERVICE_NAMES.receipts, CALL_POLICIES.receipts),
    search: deps.registry.consume<SearchService>(SERVICE_NAMES.search, CALL_POLICIES.search),
    friends: deps.registry.consume<FriendService>(SERVICE_NAMES.friends, CALL_POLICIES.friends),
    media,
  };
  const table = new ConnectionTable();
  const reports = new DeliveryReports(services.receipts, log);
  const host: ConnectionHost = {
    node: deps.node,
    services,
    log,
    maxInFlight: MAX_IN_FLIGHT,
    pullLimits: { entries: config['push.pull.cache.entries'], maxCount: config['message.pull.max.count'], maxBytes: config['message.pull.max.bytes'] },
    reports,
    attach(conn) {
      table.attach(conn)?.close('the same client id connected again');
    },
    detach(conn) {
      table.detach(conn);
    },
  };
  const track = (conn: Connection, socket: { once(event: 'close', fn: () => void): unknown }) => {
    table.track(conn);
    socket.once('close', () => table.untrack(conn));
  };

  // Registered before accepting connections: push-group treats sessions of unregistered connectors as ghosts.
  await deps.registry.provide(SERVICE_NAMES.connector, { ping: async () => deps.node });
  const rejected = new RejectedEvents(log);
  const subscription: Subscription = await consumeDeliveries(deps.bus, deps.node, table, rejected);
  const maxFrame = config['push.max.frame.bytes'];

  const tcpServer: TcpServer = createTcpServer((socket) => {
    track(new TcpConnection(host, socket, maxFrame, config['push.tcp.idle.timeout.ms']), socket);
  });
  const reusePort = deps.sharedPorts !== undefined;
  await listen(tcpServer, config['server.address'], deps.sharedPorts?.tcp ?? config['push.tcp.port'], { reusePort });

  const wsPaths = new Set(config['push.ws.paths'].split(',').map((p) => p.trim()).filter((p) => p !== ''));
  const httpServer: HttpServer = deps.wsTls ? createHttpsServer({ cert: deps.wsTls.cert, key: deps.wsTls.key }) : createHttpServer();
  httpServer.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only');
  });
  const wss = new WebSocketServer({
    server: httpServer,
    maxPayload: maxFrame,
    perMessageDeflate: false,
    verifyClient: (info: { req: IncomingMessage }) => wsPaths.has(new URL(info.req.url ?? '/', 'http://x').pathname),
  });
  wss.on('connection', (ws, req) => {
    const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    track(new WsConnection(host, ws, remote, config['push.ws.idle.timeout.ms'], req.socket as Socket), ws);
  });
  await listen(httpServer, config['server.address'], deps.sharedPorts?.ws ?? config['push.ws.port'], { reusePort });

  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const conn of table.connections()) {
      const limit = conn.state === 'awaiting-connect' ? Math.min(CONNECT_TIMEOUT_MS, conn.idleTimeoutMs) : conn.idleTimeoutMs;
      if (now - conn.lastSeen > limit) conn.close('idle timeout');
    }
  }, Math.min(SWEEP_INTERVAL_MS, config['push.ws.idle.timeout.ms'] / 4));
  sweeper.unref();

  const tcpPort = boundPort(tcpServer);
  const wsPort = boundPort(httpServer);
  log.info({ tcpPort, wsPort, wss: deps.wsTls !== undefined, paths: [...wsPaths] }, 'push-connector listening');

  return {
    tcpPort,
    wsPort,
    table,
    rejectedEvents: () => rejected.snapshot(),
    async close() {
      clearInterval(sweeper);
      tcpServer.close();
      wss.close();
      httpServer.close();
      for (const conn of [...table.connections()]) conn.close('server shutting down');
      await subscription.close();
      await waitUntil(() => table.size === 0, 3000);
      await reports.flush();
    },
  };
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
