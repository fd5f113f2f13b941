/** Media on MinIO (or any S3-compatible store the minio SDK speaks to). */
export { MinioStorage } from './minio-storage.ts';
