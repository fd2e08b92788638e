import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { loadConfig } from '@o2/config';
import { AppError } from '@o2/errors';
import { freePort, startMinioServer } from '@o2/testing';
import type { MinioServerHandle } from '@o2/testing';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from './create-object-store.js';
import { describeObjectStoreContract } from './object-store.contract.js';
import { connectS3ObjectStore } from './s3-object-store.js';
import type { S3ObjectStoreOptions } from './s3-object-store.js';

let minio: MinioServerHandle;
beforeAll(async () => {
  minio = await startMinioServer();
});
afterAll(async () => {
  await minio.stop();
});

function bucketName(): string {
  return `o2ts-${randomBytes(5).toString('hex')}`;
}

function options(overrides: Partial<S3ObjectStoreOptions> = {}): S3ObjectStoreOptions {
  return {
    endpoint: minio.endpoint,
    region: minio.region,
    accessKey: minio.accessKey,
    secretKey: minio.secretKey,
    bucket: bucketName(),
    prefix: '',
    ...overrides,
  };
}

/** A client of our own to look at the bucket without going through the code under test. */
function rawClient(): Client {
  const url = new URL(minio.endpoint);
  return new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey: minio.accessKey,
    secretKey: minio.secretKey,
    region: minio.region,
  });
}

async function rawKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of rawClient().listObjectsV2(bucket, '', true) as AsyncIterable<{
    name?: string;
  }>) {
    if (item.name !== undefined) keys.push(item.name);
  }
  return keys;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

// One contract run covers both S3-specific paths: keys under a bucket prefix (which list must
// strip) and multi-megabyte streams going up in parts (5 MiB is the smallest part S3 allows).
// Prefix-less stores are exercised by the tests below.
describeObjectStoreContract('S3ObjectStore on MinIO, under a key prefix, in 5 MiB parts', () =>
  connectS3ObjectStore(options({ prefix: 'deployments/one/', partSize: 5 * 1024 * 1024 })),
);

describe('S3ObjectStore multipart uploads', () => {
  it('aborts the upload and keeps the old object when a long body fails half way', async () => {
    const bucket = bucketName();
    const store = await connectS3ObjectStore(options({ bucket, partSize: 5 * 1024 * 1024 }));
    await store.put('big.parquet', Buffer.from('old'));
    let sent = 0;
    const failing = new Readable({
      read() {
        if (sent >= 12 * 1024 * 1024) {
          this.destroy(new Error('client went away'));
          return;
        }
        sent += 1024 * 1024;
        this.push(randomBytes(1024 * 1024));
      },
    });
    await expect(store.put('big.parquet', failing)).rejects.toThrow(/client went away/);
    expect((await store.getBytes('big.parquet')).toString()).toBe('old');
    const unfinished: unknown[] = [];
    for await (const upload of rawClient().listIncompleteUploads(
      bucket,
      '',
      true,
    ) as AsyncIterable<unknown>) {
      unfinished.push(upload);
    }
    expect(unfinished).toEqual([]);
    await store.close();
  });

  it('stores a body of several parts whole', async () => {
    const store = await connectS3ObjectStore(options({ partSize: 5 * 1024 * 1024 }));
    const body = randomBytes(11 * 1024 * 1024 + 7);
    await store.put('parts.parquet', Readable.from([body.subarray(0, 3), body.subarray(3)]));
    expect((await store.getBytes('parts.parquet')).equals(body)).toBe(true);
    expect(
      (await store.getRange('parts.parquet', 5 * 1024 * 1024 - 2, 4)).equals(
        body.subarray(5 * 1024 * 1024 - 2, 5 * 1024 * 1024 + 2),
      ),
    ).toBe(true);
    await store.close();
  });
});

describe('connectS3ObjectStore', () => {
  it('creates a missing bucket and keeps objects under the configured prefix', async () => {
    const bucket = bucketName();
    const store = await connectS3ObjectStore(options({ bucket, prefix: 'o2' }));
    expect(await rawClient().bucketExists(bucket)).toBe(true);
    await store.put('files/a.parquet', Buffer.from('a'));
    expect(await rawKeys(bucket)).toEqual(['o2/files/a.parquet']);

    const neighbour = await connectS3ObjectStore(options({ bucket, prefix: 'o2-other/' }));
    await neighbour.put('files/b.parquet', Buffer.from('b'));
    const seen: string[] = [];
    for await (const meta of store.list('')) seen.push(meta.key);
    expect(seen).toEqual(['files/a.parquet']);
    expect(await store.head('files/b.parquet')).toBeUndefined();
    await Promise.all([store.close(), neighbour.close()]);
  });

  it('connects again to a bucket that already exists', async () => {
    const bucket = bucketName();
    const first = await connectS3ObjectStore(options({ bucket }));
    await first.put('kept', Buffer.from('still here'));
    const second = await connectS3ObjectStore(options({ bucket }));
    expect((await second.getBytes('kept')).toString()).toBe('still here');
    await Promise.all([first.close(), second.close()]);
  });

  it('fails with UNAVAILABLE naming endpoint and bucket when nothing listens', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const secretKey = 'do-not-print-this-secret';
    const error = await failure(
      connectS3ObjectStore(options({ endpoint, bucket: 'nobody-home', secretKey })),
    );
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain(endpoint);
    expect(error.message).toContain('nobody-home');
    expect(error.message).not.toContain(secretKey);
  });

  it('fails with UNAVAILABLE, without echoing the secret, when the credentials are wrong', async () => {
    const secretKey = `wrong-${randomBytes(8).toString('hex')}`;
    const error = await failure(connectS3ObjectStore(options({ secretKey })));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain(minio.endpoint);
    expect(error.message).not.toContain(secretKey);
    expect(JSON.stringify(error.details ?? '')).not.toContain(secretKey);
  });

  it('rejects an endpoint that is not an http(s) URL', async () => {
    const error = await failure(connectS3ObjectStore(options({ endpoint: 'minio:9000' })));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('createObjectStore with ZO_* settings', () => {
  it('uses the S3 bucket from the ZO_S3_* settings outside disk mode', async () => {
    const bucket = bucketName();
    const config = loadConfig({
      ZO_LOCAL_MODE: 'true',
      ZO_LOCAL_MODE_STORAGE: 's3',
      ZO_S3_SERVER_URL: minio.endpoint,
      ZO_S3_REGION_NAME: minio.region,
      ZO_S3_ACCESS_KEY: minio.accessKey,
      ZO_S3_SECRET_KEY: minio.secretKey,
      ZO_S3_BUCKET_NAME: bucket,
      ZO_S3_BUCKET_PREFIX: 'o2ts',
    });
    const store = await createObjectStore(config);
    await store.put('files/default/logs/x/1.parquet', Buffer.from('p'));
    expect(await rawKeys(bucket)).toEqual(['o2ts/files/default/logs/x/1.parquet']);
    await store.close();
  });
});
