import type { Store } from '@fscpush/ports';
import type { Schema } from './schema.ts';

export type * from './schema.ts';
export type { SqlDialect } from '@fscpush/ports';
export { PUSH_GROUP_MIGRATIONS } from './migrations/index.ts';

/** push-group's store: its own tables. */
export type GroupStore = Store<Schema>;
