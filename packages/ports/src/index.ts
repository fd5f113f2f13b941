/**
 * The ports: what services depend on, and nothing an engine brings. Interfaces, plus the few checks every
 * implementation of a port shares (safe object keys, upload terms, content types by extension).
 */
export type * from './rpc.ts';
export { providerMethodNames } from './provider-methods.ts';
export type * from './bus.ts';
export type * from './grid.ts';
export type * from './store.ts';
export { isSafeObjectKey, isSafeBucketName, isStorableObjectKey, MAX_OBJECT_KEY_BYTES, MAX_PRESIGN_EXPIRY_SECONDS } from './media.ts';
export type { ObjectStorage, UploadLimits } from './media.ts';
export { checkUploadTerms } from './upload-terms.ts';
export { contentTypeOf, FALLBACK_CONTENT_TYPE } from './content-types.ts';
