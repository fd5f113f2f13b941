/** The embedded registry, bus and local media storage as a worker thread reaches them (no store drivers loaded). */
export { PortLink } from './thread/port-link.ts';
export { clientCallsUrgent } from './thread/thread-messages.ts';
export { ThreadRegistry, type SideRoute } from './thread/thread-registry.ts';
export { ThreadBus } from './thread/thread-bus.ts';
export { serveThreadBridge, serveThreadCalls, type ThreadBridgeHost, type WithdrawableRegistry } from './thread/thread-bridge-host.ts';
export { LocalFileStorage } from './media/local-file-storage.ts';
