export { startPushGroup, type PushGroup, type PushGroupDeps } from './push-group.ts';
