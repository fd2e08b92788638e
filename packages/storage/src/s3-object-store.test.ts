import { AppError } from '@o2/errors';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from './s3-object-store.js';
import type { S3ObjectStoreOptions } from './s3-object-store.js';

function build(options: Partial<S3ObjectStoreOptions>): S3ObjectStore {
  return new S3ObjectStore({ bucket: 'parquet-files', ...options });
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'non-AppError';
  }
}

describe('S3ObjectStore options', () => {
  it('adds the missing / to a key prefix and names endpoint and bucket in its location', async () => {
    const store = build({ endpoint: 'http://127.0.0.1:9000', prefix: 'tenant-a' });
    expect(store.prefix).toBe('tenant-a/');
    expect(store.location).toBe('bucket "parquet-files" at http://127.0.0.1:9000');
    expect(build({ prefix: '' }).prefix).toBe('');
    expect(build({}).location).toBe('bucket "parquet-files" at AWS S3');
    await store.close();
  });

  it('never puts credentials into its location', () => {
    const store = build({
      endpoint: 'https://user:pass@minio.example:9000',
      accessKey: 'AKIAEXAMPLE',
      secretKey: 'top-secret',
    });
    expect(store.location).toBe('bucket "parquet-files" at https://minio.example:9000');
  });

  it('rejects invalid bucket names, endpoints, prefixes and part sizes before any I/O', () => {
    expect(codeOf(() => build({ bucket: '' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build({ bucket: 'ab' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build({ bucket: 'Upper_Case' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build({ endpoint: 'minio:9000' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build({ endpoint: 'ftp://minio:9000' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build({ endpoint: 'http://minio:9000/some/path' }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(codeOf(() => build({ prefix: '/abs/' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build({ prefix: '../up/' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build({ partSize: 1024 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => build({ endpoint: 'https://minio.example/' }))).toBeUndefined();
  });
});
