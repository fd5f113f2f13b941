import { openSqliteStore } from '@fscpush/adapter-sqlite';
import { PUSH_GROUP_MIGRATIONS, type GroupStore, type Schema } from '../../src/store/index.ts';

/** push-group's tables on the SQLite adapter, in memory unless a file is named. */
export function openGroupStore(file = ':memory:'): Promise<GroupStore> {
  return openSqliteStore<Schema>(file, { migrations: [PUSH_GROUP_MIGRATIONS] });
}
