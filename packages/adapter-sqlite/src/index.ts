/** The store on SQLite (node:sqlite, no native build): embedded mode, and cluster services with im.embed_db. */
export { openSqliteReader, openSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export { lockSqliteFile, type SqliteFileLock } from './sqlite-file-lock.ts';
export { SQLITE_DIALECT } from './sqlite-dialect.ts';
