import { Client } from 'minio';
import { FscError } from '@fscpush/core';
import { isSafeBucketName, isStorableObjectKey, type ObjectStorage, type UploadLimits } from '@fscpush/ports';
import { contentTypeOf } from '@fscpush/ports';
import { checkUploadTerms } from '@fscpush/ports';

export interface MinioStorageOptions {
  /** the S3 API as this server reaches it, e.g. http://127.0.0.1:9000 */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /**
   * Where clients reach MinIO (FShareChat's `minio.url`), an origin without a path; default `endpoint`.
   * Upload URLs are signed for this host, so a proxy in front must pass the Host header through.
   */
  publicUrl?: string;
  region?: string;
}

/**
 * Cluster storage on MinIO (any S3 with bucket policies), path-style: `<url>/<bucket>/<key>`, buckets
 * readable by anyone (GetObject only, so no listing), uploads with SigV4 presigned PUT URLs. MinIO keeps
 * the Content-Type the uploader sends; a proxy in front should add `X-Content-Type-Options: nosniff`.
 */
export class MinioStorage implements ObjectStorage {
  private readonly client: Client;
  /** signs with the public host; presigning is local computation (the region is given, so no location probe) */
  private readonly presigner: Client;
  private readonly publicUrl: string;
  private readonly region: string;

  constructor(options: MinioStorageOptions) {
    this.region = options.region ?? 'us-east-1';
    this.client = clientFor(options.endpoint, options, this.region);
    const publicUrl = options.publicUrl ?? options.endpoint;
    this.presigner = publicUrl === options.endpoint ? this.client : clientFor(publicUrl, options, this.region);
    this.publicUrl = new URL(publicUrl).origin;
  }

  async ensureBuckets(buckets: string[]): Promise<void> {
    for (const bucket of buckets) checkBucket(bucket);
    for (const bucket of buckets) {
      if (!(await this.client.bucketExists(bucket))) {
        try {
          await this.client.makeBucket(bucket, this.region);
        } catch (err) {
          // another node created it in between
          if ((err as { code?: string }).code !== 'BucketAlreadyOwnedByYou') throw err;
        }
      }
      await this.client.setBucketPolicy(bucket, publicReadPolicy(bucket));
    }
  }

  async put(bucket: string, key: string, data: Uint8Array): Promise<void> {
    checkObject(bucket, key);
    await this.client.putObject(bucket, key, Buffer.from(data.buffer, data.byteOffset, data.byteLength), data.byteLength, { 'Content-Type': contentTypeOf(key) });
  }

  async get(bucket: string, key: string): Promise<Uint8Array | undefined> {
    checkObject(bucket, key);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.client.getObject(bucket, key)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (err) {
      if ((err as { code?: string }).code === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async presignedPutUrl(bucket: string, key: string, expirySeconds: number, limits: UploadLimits): Promise<string> {
    checkObject(bucket, key);
    checkUploadTerms(expirySeconds, limits);
    return this.presigner.presignedPutObject(bucket, key, expirySeconds);
  }

  publicBaseUrl(bucket: string): string {
    checkBucket(bucket);
    return `${this.publicUrl}/${bucket}`;
  }

  async close(): Promise<void> {}
}

function clientFor(url: string, options: MinioStorageOptions, region: string): Client {
  const parsed = new URL(url);
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.pathname !== '/' || parsed.search !== '' || parsed.username !== '') {
    throw new FscError('CONFIG_INVALID', `MinIO URL must be http(s)://host[:port] without a path: ${JSON.stringify(url)}`);
  }
  const useSSL = parsed.protocol === 'https:';
  return new Client({
    endPoint: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? (useSSL ? 443 : 80) : Number(parsed.port),
    useSSL,
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    region,
    pathStyle: true,
  });
}

function publicReadPolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
  });
}

function checkBucket(bucket: string): void {
  if (!isSafeBucketName(bucket)) throw new FscError('INVALID_DATA', `invalid bucket name ${JSON.stringify(bucket)}`);
}

function checkObject(bucket: string, key: string): void {
  checkBucket(bucket);
  if (!isStorableObjectKey(key)) throw new FscError('INVALID_DATA', `invalid object key ${JSON.stringify(key)}`);
}
