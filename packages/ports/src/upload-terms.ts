import { FscError } from '@fscpush/core';
import { MAX_PRESIGN_EXPIRY_SECONDS, type UploadLimits } from './media.ts';

/** INVALID_DATA unless the expiry and limits of a presigned upload are usable. */
export function checkUploadTerms(expirySeconds: number, limits: UploadLimits): void {
  if (!Number.isInteger(expirySeconds) || expirySeconds < 1 || expirySeconds > MAX_PRESIGN_EXPIRY_SECONDS) {
    throw new FscError('INVALID_DATA', `upload expiry must be 1..${MAX_PRESIGN_EXPIRY_SECONDS} seconds`);
  }
  if (!Number.isSafeInteger(limits.maxBytes) || limits.maxBytes < 1) throw new FscError('INVALID_DATA', 'upload maxBytes must be a positive integer');
}
