import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { createIngester } from '@o2/ingester';
import { connectS3ObjectStore } from '@o2/storage';
import type { ObjectStore } from '@o2/storage';
import { startMinioServer } from '@o2/testing';
import type { MinioServerHandle } from '@o2/testing';
import { parquetRowCount } from '../test-support/parquet-row-count.js';
import { call, makeDbDir, rootAuth, startRouter } from '../test-support/start-router.js';
import type { StartedRouter } from '../test-support/start-router.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 200 ms until it returns true; fails after `timeoutMs`. */
async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Rows of a stream in the bucket, each data object downloaded and read by DuckDB. */
async function storedRows(store: ObjectStore, stream: string, dir: string): Promise<number> {
  const paths: string[] = [];
  for await (const object of store.list(`files/default/logs/${stream}/`)) {
    if (!object.key.endsWith('.parquet')) continue;
    const path = join(dir, object.key);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, await store.getBytes(object.key));
    paths.push(path);
  }
  return paths.length === 0 ? 0 : parquetRowCount(paths);
}

const rows = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ message: `${tag} ${i}`, n: i }));

/**
 * MinIO stopped for a few seconds under a running single node: ingest keeps being
 * acknowledged, /readyz says why it is degraded, the upload cycle keeps retrying with capped
 * backoff, and once MinIO is back every acknowledged row is in the bucket exactly once.
 */
describe('object store outage', () => {
  let minio: MinioServerHandle;
  let store: ObjectStore;
  let dir: { path: string; remove(): Promise<void> };
  let o2: StartedRouter;

  beforeAll(async () => {
    minio = await startMinioServer();
    store = await connectS3ObjectStore({
      endpoint: minio.endpoint,
      region: minio.region,
      accessKey: minio.accessKey,
      secretKey: minio.secretKey,
      bucket: 'outage',
      prefix: 'o2ts/',
    });
    dir = await makeDbDir();
    o2 = await startRouter(dir.path, {
      env: {
        ZO_MEM_PERSIST_INTERVAL: '1',
        ZO_FILE_PUSH_INTERVAL: '1',
        ZO_PERSIST_RETRY_MAX_BACKOFF: '2',
      },
      wire: async ({ store: metaStore, config, logger }) => {
        const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
        const ingester = createIngester({ config, logger, metaStore, objectStore: store, cluster });
        await ingester.start();
        return {
          ingest: ingester,
          ingester,
          objectStore: store,
          stop: async () => {
            await ingester.stop();
            await cluster.close();
          },
        };
      },
    });
  }, 120_000);
  afterAll(async () => {
    await o2?.close();
    await store?.close();
    await minio?.stop();
    await dir?.remove();
  });

  const ingest = async (stream: string, body: unknown[]): Promise<void> => {
    const res = await call(o2.url, `/api/default/${stream}/_json`, {
      auth: rootAuth(),
      json: body,
    });
    expect([res.status, res.body]).toEqual([
      200,
      { code: 200, status: [{ name: stream, successful: body.length, failed: 0 }] },
    ]);
  };
  const registered = async (stream: string): Promise<number> =>
    (await o2.store.fileList.query({ org: 'default', type: 'logs', name: stream })).reduce(
      (sum, f) => sum + f.records,
      0,
    );

  it('acknowledges ingest, reports degraded and loses nothing while MinIO is down', async () => {
    await ingest('before', rows(50, 'before'));
    await eventually(
      'the first rows to be stored',
      async () => (await registered('before')) === 50,
    );
    expect((await call(o2.url, '/readyz')).body).toEqual({ status: 'ok' });

    await minio.halt();
    await ingest('during', rows(60, 'during'));
    // Both the readiness probe of the bucket and the ingester's failed uploads name the store.
    let degraded: { status: number; body: { status?: string; reasons?: string[] } } | undefined;
    await eventually('readyz to report the outage from the probe and the uploads', async () => {
      degraded = (await call(o2.url, '/readyz')) as typeof degraded;
      const reasons = degraded?.body.reasons ?? [];
      return (
        degraded?.status === 503 &&
        reasons.some((r) => /^object store unreachable for \d+ s \(\d+ failed tries\): /.test(r))
      );
    });
    expect(degraded?.body.status).toBe('degraded');
    expect(degraded?.body.reasons).toContainEqual(
      expect.stringMatching(/^object store unreachable: S3 head of /),
    );
    // Still acknowledged while degraded: the rows wait in local files.
    await ingest('during', rows(30, 'late'));
    await ingest('before', rows(5, 'more'));
    await sleep(3_000);
    expect(await registered('during')).toBe(0);

    await minio.start();
    await eventually(
      'every row to be stored after the restart',
      async () => (await registered('during')) === 90 && (await registered('before')) === 55,
    );
    await eventually(
      'readyz to recover',
      async () => (await call(o2.url, '/readyz')).status === 200,
    );
    expect((await call(o2.url, '/readyz')).body).toEqual({ status: 'ok' });

    const download = join(dir.path, 'download');
    expect(await storedRows(store, 'before', download)).toBe(55);
    expect(await storedRows(store, 'during', download)).toBe(90);
  }, 120_000);
});
