import type { Store } from '@fscpush/ports';
import type { ApiSchema } from './schema.ts';

export type * from './schema.ts';
export { PUSH_API_MIGRATIONS } from './migrations/index.ts';

/** push-api's store: its own tables. */
export type ApiStore = Store<ApiSchema>;
