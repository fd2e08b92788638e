import { afterAll, beforeAll } from 'vitest';
import { connectS3ObjectStore } from '@o2/storage';
import { startMinioServer } from '@o2/testing';
import type { MinioServerHandle } from '@o2/testing';
import { describeStreamDeletion } from './test-support/stream-deletion-suite.js';

let minio: MinioServerHandle;
let bucket = 0;
beforeAll(async () => {
  minio = await startMinioServer();
});
afterAll(async () => {
  await minio.stop();
});

// A bucket per test keeps the tests apart on one server.
describeStreamDeletion('MinIO', async () => {
  bucket += 1;
  return connectS3ObjectStore({
    endpoint: minio.endpoint,
    region: minio.region,
    accessKey: minio.accessKey,
    secretKey: minio.secretKey,
    bucket: `deletion-${bucket}`,
    prefix: 'o2ts/',
  });
});
