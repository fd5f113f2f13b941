import { FscError, type ConfigValues, type Logger } from '@fscpush/core';
import { isStorableObjectKey, type ObjectStorage } from '@fscpush/ports';

/** FShareChat's media types, by number: the bucket an upload goes to. */
export const MEDIA_TYPES = ['general', 'image', 'voice', 'video', 'file', 'portrait', 'favorite'] as const;
export type MediaTypeName = (typeof MEDIA_TYPES)[number];

export interface MediaUploadSettings {
  /** bucket of type T: `${bucketPrefix}${T}-name`, FShareChat's `minio-bucket-image-name` by default */
  bucketPrefix: string;
  expirySeconds: number;
  maxBytes: Readonly<Record<MediaTypeName, number>>;
}

export interface UploadUrl {
  /** where the object can be read: the client's remoteMediaUrl is `${domain}/${key}` */
  domain: string;
  /** presigned PUT URL */
  url: string;
}

export function mediaUploadSettings(config: ConfigValues): MediaUploadSettings {
  return {
    bucketPrefix: config['media.bucket.prefix'],
    expirySeconds: config['media.upload.expiry.seconds'],
    maxBytes: {
      general: config['media.max.bytes.general'],
      image: config['media.max.bytes.image'],
      voice: config['media.max.bytes.voice'],
      video: config['media.max.bytes.video'],
      file: config['media.max.bytes.file'],
      portrait: config['media.max.bytes.portrait'],
      favorite: config['media.max.bytes.favorite'],
    },
  };
}

// The clients stamp keys with Date.now(): 13 digits until the year 2286.
const AFTER_OWNER = /^\d{13}(?:[-.]|$)/;
const QINIU_WARNING_INTERVAL_MS = 60_000;

/**
 * GMURL: hands out upload URLs for keys the requesting user owns. FShareChat clients build keys as
 * `<mediaType>-<uid>-<ms>[-<file name> | .<ext>]`; requiring that prefix with the requester's uid keeps one
 * user from overwriting another's objects. The 13-digit stamp after the uid matters for uids containing "-":
 * user `ab` cannot claim `1-ab-cd-…` (user `ab-cd`'s namespace), since `cd-…` is not a stamp.
 */
export class MediaUploads {
  private readonly storage: ObjectStorage;
  private readonly settings: MediaUploadSettings;
  private readonly log: Logger;
  private lastQiniuWarning = -Infinity;

  constructor(storage: ObjectStorage, settings: MediaUploadSettings, log: Logger) {
    this.storage = storage;
    this.settings = settings;
    this.log = log;
  }

  buckets(): string[] {
    return MEDIA_TYPES.map((type) => this.bucketOf(type));
  }

  /** Creates the seven buckets (public-read); call once at start. */
  async ensureBuckets(): Promise<void> {
    await this.storage.ensureBuckets(this.buckets());
  }

  /**
   * INVALID_DATA for an unknown media type or a malformed key; NO_RIGHT for a key in another user's
   * namespace (or another media type's).
   */
  async uploadUrl(uid: string, mediaType: number, key: string): Promise<UploadUrl> {
    const type = MEDIA_TYPES[mediaType];
    if (!Number.isInteger(mediaType) || type === undefined) throw new FscError('INVALID_DATA', `unknown media type ${mediaType}`);
    if (!isStorableObjectKey(key)) throw new FscError('INVALID_DATA', 'unsafe or too long upload key');
    const owned = `${mediaType}-${uid}-`;
    if (!key.startsWith(owned)) throw new FscError('NO_RIGHT', `upload keys must start with ${owned}`);
    if (!AFTER_OWNER.test(key.slice(owned.length))) throw new FscError('INVALID_DATA', `upload keys look like ${owned}<ms>-<file name>`);
    const bucket = this.bucketOf(type);
    const url = await this.storage.presignedPutUrl(bucket, key, this.settings.expirySeconds, { maxBytes: this.settings.maxBytes[type] });
    return { domain: this.storage.publicBaseUrl(bucket), url };
  }

  /** GQNUT asks for a Qiniu upload token: fscpush has no Qiniu (uploads go through GMURL), so NOT_IMPLEMENTED. */
  qiniuToken(uid: string): never {
    const now = Date.now();
    if (now - this.lastQiniuWarning >= QINIU_WARNING_INTERVAL_MS) {
      this.lastQiniuWarning = now;
      this.log.warn({ uid }, 'GQNUT refused: Qiniu uploads are not supported; clients must upload with GMURL (signed URLs on fscpush media storage)');
    }
    throw new FscError('NOT_IMPLEMENTED', 'Qiniu uploads are not supported');
  }

  private bucketOf(type: MediaTypeName): string {
    return `${this.settings.bucketPrefix}${type}-name`;
  }
}
