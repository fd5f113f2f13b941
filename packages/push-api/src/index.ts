export { startPushApi, type PushApi, type PushApiDeps } from './push-api.ts';
