/** The embedded registry, bus and local media storage as a worker thread reaches them (no store drivers loaded). */
export { PortLink } from './port-link.ts';
export { clientCallsUrgent } from './thread-messages.ts';
export { ThreadRegistry, type SideRoute } from './thread-registry.ts';
export { ThreadBus } from './thread-bus.ts';
export { serveThreadBridge, serveThreadCalls, type ThreadBridgeHost, type WithdrawableRegistry } from './thread-bridge-host.ts';
