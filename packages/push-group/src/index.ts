export { startPushGroup, type PushGroup, type PushGroupDeps } from './push-group.ts';
export { CLIENT_READ_CALLS, clientReadServices } from './client-reads.ts';
