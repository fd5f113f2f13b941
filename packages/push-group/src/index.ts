export { startPushGroup, type PushGroup, type PushGroupDeps } from './push-group.ts';
export { CLIENT_READ_CALLS, clientReadServices } from './client-reads.ts';
export { PUSH_GROUP_MIGRATIONS, type GroupStore, type Schema } from './store/index.ts';
