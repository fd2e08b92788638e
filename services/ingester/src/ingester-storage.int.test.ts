import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectS3ObjectStore } from '@o2/storage';
import type { ObjectStore } from '@o2/storage';
import { startMinioServer } from '@o2/testing';
import type { MinioServerHandle } from '@o2/testing';
import { duckdbQuery, ingesterWorld, k8slogBody } from './test-support/ingester-fixture.js';
import type { IngesterWorld } from './test-support/ingester-fixture.js';

/** Downloads every object under `prefix` into `dir` and returns the local paths. */
async function download(store: ObjectStore, prefix: string, dir: string): Promise<string[]> {
  const paths: string[] = [];
  for await (const object of store.list(prefix)) {
    if (!object.key.endsWith('.parquet')) continue; // token indexes sit beside the data files
    const path = join(dir, object.key);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, await store.getBytes(object.key));
    paths.push(path);
  }
  return paths;
}

const sql = (files: string[]): string =>
  `read_parquet([${files.map((f) => `'${f}'`).join(',')}], union_by_name = true)`;

describe('ingester with MinIO storage and partition keys', () => {
  let minio: MinioServerHandle;
  let world: IngesterWorld | undefined;

  beforeAll(async () => {
    minio = await startMinioServer();
  });
  afterAll(async () => {
    await minio.stop();
  });
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const s3 = (bucket: string): Promise<ObjectStore> =>
    connectS3ObjectStore({
      endpoint: minio.endpoint,
      region: minio.region,
      accessKey: minio.accessKey,
      secretKey: minio.secretKey,
      bucket,
      prefix: 'o2ts/',
    });

  it('uploads exactly the 981 sample rows to MinIO and lists them in file_list', async () => {
    const store = await s3('ingest-plain');
    world = await ingesterWorld({}, store);
    const ingester = await world.boot();
    const result = await ingester.ingest({
      org: 'default',
      stream: 'default',
      streamType: 'logs',
      format: 'json',
      body: k8slogBody(),
    });
    expect(result.response?.status[0]).toEqual({ name: 'default', successful: 981, failed: 0 });
    await ingester.flush();

    const files = await download(
      store,
      'files/default/logs/default/',
      join(world.dir.path, 'download'),
    );
    expect(files.length).toBeGreaterThan(0);
    const [row] = await duckdbQuery(`SELECT count(*)::INTEGER AS n FROM ${sql(files)}`);
    expect(row?.['n']).toBe(981);
    const listed = await world.metaStore.fileList.query({
      org: 'default',
      type: 'logs',
      name: 'default',
    });
    expect(listed.map((f) => `files/default/logs/default/${f.date}/${f.file}`).sort()).toEqual(
      files.map((f) => f.slice(join(world!.dir.path, 'download').length + 1)).sort(),
    );
    expect(listed.reduce((sum, f) => sum + f.records, 0)).toBe(981);
    await ingester.stop();
    await store.close();
  });

  it('writes one directory per partition-key value and keeps every row', async () => {
    const store = await s3('ingest-partitioned');
    world = await ingesterWorld({}, store);
    await world.metaStore.streams.ensure(
      { org: 'default', type: 'logs', name: 'parted' },
      {
        partition_keys: {
          L0: { field: 'kubernetes_namespace_name', types: 'value', disabled: false },
        },
      },
    );
    const ingester = await world.boot();
    await ingester.ingest({
      org: 'default',
      stream: 'parted',
      streamType: 'logs',
      format: 'json',
      body: k8slogBody(),
    });
    await ingester.flush();

    const files = await download(
      store,
      'files/default/logs/parted/',
      join(world.dir.path, 'download'),
    );
    const groups = await duckdbQuery(
      `SELECT kubernetes_namespace_name AS ns, count(*)::INTEGER AS n FROM ${sql(files)} GROUP BY ns ORDER BY ns`,
    );
    expect(groups.reduce((sum, g) => sum + Number(g['n']), 0)).toBe(981);
    for (const group of groups) {
      const ns = typeof group['ns'] === 'string' ? group['ns'] : '';
      expect(files.map((f) => /kubernetes_namespace_name=([^/]*)\//.exec(f)?.[1])).toContain(ns);
    }
    const listed = await world.metaStore.fileList.query({
      org: 'default',
      type: 'logs',
      name: 'parted',
    });
    expect(listed.every((f) => f.file.startsWith('kubernetes_namespace_name='))).toBe(true);
    await ingester.stop();
    await store.close();
  });
});
