import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@o2/config';
import { makeTempDir } from '@o2/testing';
import { describe, expect, it } from 'vitest';
import { createObjectStore } from './create-object-store.js';
import { LocalObjectStore } from './local-object-store.js';
import { s3OptionsFromConfig } from './s3-options-from-config.js';

describe('createObjectStore', () => {
  it('keeps objects under ZO_DATA_STREAM_DIR in the default single-node mode', async () => {
    const tmp = await makeTempDir('create-store');
    try {
      const config = loadConfig({ ZO_DATA_DIR: tmp.path });
      expect(config.objectStorage).toBe('disk');
      const store = await createObjectStore(config);
      expect(store).toBeInstanceOf(LocalObjectStore);
      await store.put('files/default/logs/app/a.parquet', Buffer.from('abc'));
      const onDisk = await readFile(join(tmp.path, 'stream/files/default/logs/app/a.parquet'));
      expect(onDisk.toString()).toBe('abc');
      await store.close();
    } finally {
      await tmp.remove();
    }
  });
});

describe('s3OptionsFromConfig', () => {
  it('maps every ZO_S3_* setting', () => {
    const config = loadConfig({
      ZO_LOCAL_MODE: 'true',
      ZO_LOCAL_MODE_STORAGE: 's3',
      ZO_S3_SERVER_URL: 'https://minio.example:9000',
      ZO_S3_REGION_NAME: 'eu-west-3',
      ZO_S3_ACCESS_KEY: 'access',
      ZO_S3_SECRET_KEY: 'secret',
      ZO_S3_BUCKET_NAME: 'parquet',
      ZO_S3_BUCKET_PREFIX: 'tenant-a',
      ZO_S3_FEATURE_FORCE_HOSTED_STYLE: 'true',
      ZO_S3_ALLOW_INVALID_CERTIFICATES: 'true',
    });
    expect(s3OptionsFromConfig(config)).toEqual({
      endpoint: 'https://minio.example:9000',
      region: 'eu-west-3',
      accessKey: 'access',
      secretKey: 'secret',
      bucket: 'parquet',
      prefix: 'tenant-a/',
      hostedStyle: true,
      allowInvalidCertificates: true,
    });
  });
});
