/** Port interfaces only: what business code may depend on. */
export type * from './rpc/index.ts';
export type * from './bus/index.ts';
export type * from './grid/index.ts';
export type * from './store/index.ts';
export { isSafeObjectKey, isSafeBucketName } from './media/index.ts';
export type { ObjectStorage } from './media/index.ts';
