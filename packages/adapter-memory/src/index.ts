/** The in-process registry, bus and grid of embedded mode. */
export { InProcessRegistry } from './in-process-registry.ts';
export { InProcessBus } from './in-process-bus.ts';
export { MemoryGrid } from './memory-grid.ts';
