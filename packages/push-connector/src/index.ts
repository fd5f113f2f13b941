export { startPushConnector, type PushConnector, type PushConnectorDeps } from './push-connector.ts';
