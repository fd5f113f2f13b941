export * from './testkit-error.ts';
export * from './im-client.ts';
export * from './push-stream.ts';
export * from './request-tracker.ts';
export * from './tcp-im-client.ts';
export * from './ws-im-client.ts';
export * from './process-cluster.ts';
