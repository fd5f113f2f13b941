/** Embedded implementations of every port; only composition roots import this module. */
export { InProcessRegistry } from './rpc/in-process-registry.ts';
export { InProcessBus } from './bus/in-process-bus.ts';
export { MemoryGrid } from './grid/memory-grid.ts';
export { openSqliteReader, openSqliteStore } from './store/sqlite-store.ts';
export { LocalFileStorage } from './media/local-file-storage.ts';
export { createLocalMediaListener } from './media/local-media-listener.ts';
export { lockSqliteFile, type SqliteFileLock } from './store/sqlite-file-lock.ts';
