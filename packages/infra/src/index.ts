/** Port interfaces only: what business code may depend on. */
export type * from './rpc/index.ts';
export { providerMethodNames } from './rpc/provider-methods.ts';
export type * from './bus/index.ts';
export type * from './grid/index.ts';
export type * from './store/index.ts';
export { isSafeObjectKey, isSafeBucketName, isStorableObjectKey, MAX_OBJECT_KEY_BYTES } from './media/index.ts';
export type { ObjectStorage, UploadLimits } from './media/index.ts';
