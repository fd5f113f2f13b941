import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinioStorage } from '../src/minio-storage.ts';
import { describeMediaContract } from '@fscpush/ports/contracts/media-contract';
import { uniqueName } from '@fscpush/ports/contracts/helpers';

/**
 * MinioStorage against a real MinIO (cluster tier). The endpoint comes from FSCPUSH_MINIO_URL,
 * FSCPUSH_MINIO_ACCESS_KEY and FSCPUSH_MINIO_SECRET_KEY, or from the FSCPUSH_S3_* names that
 * `scripts/devstack env` prints. Without them the run fails: a cluster run that tested nothing must not pass.
 */
function minioFromEnv(): { endpoint: string; accessKey: string; secretKey: string } | string {
  const env = process.env;
  const endpoint = env['FSCPUSH_MINIO_URL'] ?? env['FSCPUSH_S3_ENDPOINT'];
  const accessKey = env['FSCPUSH_MINIO_ACCESS_KEY'] ?? env['FSCPUSH_S3_ACCESS_KEY'];
  const secretKey = env['FSCPUSH_MINIO_SECRET_KEY'] ?? env['FSCPUSH_S3_SECRET_KEY'];
  if (!endpoint || !accessKey || !secretKey) {
    return 'set FSCPUSH_MINIO_URL, FSCPUSH_MINIO_ACCESS_KEY and FSCPUSH_MINIO_SECRET_KEY (or eval "$(scripts/devstack env)" after scripts/devstack up minio)';
  }
  return { endpoint, accessKey, secretKey };
}

const minio = minioFromEnv();

if (typeof minio === 'string') {
  test('MinIO endpoint configured', () => assert.fail(minio));
} else {
  describeMediaContract('MinioStorage', { create: async () => new MinioStorage(minio), enforcesMaxBytes: false, typeFromExtension: false });

  test('MinioStorage: buckets are readable by anyone but not listable; ensureBuckets is idempotent', async () => {
    const storage = new MinioStorage(minio);
    const bucket = uniqueName('media');
    await storage.ensureBuckets([bucket]);
    await storage.ensureBuckets([bucket]);
    await storage.put(bucket, 'a.png', Uint8Array.of(1, 2));
    const object = await fetch(`${storage.publicBaseUrl(bucket)}/a.png`);
    assert.equal(object.status, 200);
    assert.deepEqual([...new Uint8Array(await object.arrayBuffer())], [1, 2]);
    const listing = await fetch(`${storage.publicBaseUrl(bucket)}/`);
    await listing.arrayBuffer();
    assert.equal(listing.status, 403, 'anonymous listing is refused');
    await storage.close();
  });

  test('MinioStorage: upload URLs are signed for the public URL', async () => {
    const publicUrl = 'https://media.example.com';
    const storage = new MinioStorage({ ...minio, publicUrl });
    const url = new URL(await storage.presignedPutUrl('minio-bucket-image-name', '1-u-1700000000000.png', 900, { maxBytes: 1 }));
    assert.equal(url.origin, publicUrl);
    assert.equal(url.pathname, '/minio-bucket-image-name/1-u-1700000000000.png');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '900');
    assert.equal(storage.publicBaseUrl('minio-bucket-image-name'), `${publicUrl}/minio-bucket-image-name`);
    await storage.close();
  });
}
