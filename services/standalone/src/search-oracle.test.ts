import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import type { SearchResponseBody } from '@o2/domain';
import { isAppError } from '@o2/errors';
import { createIngester } from '@o2/ingester';
import type { Ingester } from '@o2/ingester';
import { createLogger } from '@o2/logger';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { createQuerier } from '@o2/querier';
import type { Querier } from '@o2/querier';
import { LocalObjectStore, connectS3ObjectStore } from '@o2/storage';
import type { ObjectStore } from '@o2/storage';
import { generateK8sLogs, jsonBody, makeTempDir, startMinioServer } from '@o2/testing';
import type { MinioServerHandle, TempDir } from '@o2/testing';

type Raw = Record<string, unknown>;
/** 981 generated k8s log records (the size of O2's sample): the data and the oracle's input. */
const raw: Raw[] = generateK8sLogs();
const text = (r: Raw, k: string): string => (typeof r[k] === 'string' ? r[k] : '');
const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

/** The sorted `[log, message]` pairs of the raw records that pass `keep` — the oracle. */
function oracle(keep: (r: Raw) => boolean): string[] {
  return raw
    .filter(keep)
    .map((r) => JSON.stringify([r['log'] ?? null, r['message'] ?? null]))
    .sort();
}
function pairs(response: SearchResponseBody): string[] {
  return (response['hits'] as Raw[])
    .map((h) => JSON.stringify([h['log'] ?? null, h['message'] ?? null]))
    .sort();
}

interface World {
  dir: TempDir;
  metaStore: MetaStore;
  ingester: Ingester;
  querier: Querier;
  close(): Promise<void>;
}

async function world(objectStore?: (dir: string) => Promise<ObjectStore>): Promise<World> {
  const dir = await makeTempDir('search-oracle');
  const config = loadConfig({
    ZO_DATA_DIR: `${dir.path}/`,
    ZO_MEM_PERSIST_INTERVAL: '3600',
    ZO_FILE_PUSH_INTERVAL: '3600',
  });
  const metaStore = await openSqliteMetaStore({ path: `${dir.path}/db/metadata.sqlite` });
  await metaStore.migrate();
  const store =
    objectStore === undefined
      ? new LocalObjectStore(config.ZO_DATA_STREAM_DIR)
      : await objectStore(dir.path);
  const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
  const s3Config = objectStore === undefined ? config : { ...config, objectStorage: 's3' as const };
  const ingester = createIngester({
    config: s3Config,
    logger: silent,
    metaStore,
    objectStore: store,
    cluster,
  });
  const querier = createQuerier({
    config: s3Config,
    logger: silent,
    metaStore,
    objectStore: store,
    hotData: ingester,
  });
  await ingester.start();
  await querier.start();
  return {
    dir,
    metaStore,
    ingester,
    querier,
    close: async () => {
      await querier.stop();
      await ingester.stop();
      await cluster.close();
      await metaStore.close();
      await dir.remove();
    },
  };
}

function querySet(w: () => World, phase: string): void {
  const search = (sql: string): Promise<SearchResponseBody> => {
    const now = Date.now() * 1000;
    return w().querier.search('default', 'logs', {
      sql,
      startTime: now - 3600e6,
      endTime: now + 60e6,
      size: -999,
    });
  };
  it(`${phase}: count(*)`, async () => {
    const r = await search('SELECT count(*) AS n FROM "default"');
    expect((r['hits'] as Raw[])[0]?.['n']).toBe(981);
  });
  it(`${phase}: match_all('error') over log and message, case-insensitive`, async () => {
    const want = oracle((r) => /error/i.test(text(r, 'log')) || /error/i.test(text(r, 'message')));
    expect(want.length).toBeGreaterThan(0);
    expect(pairs(await search(`SELECT * FROM "default" WHERE match_all('error')`))).toEqual(want);
  });
  it(`${phase}: match_all_raw is case-sensitive, match_all_raw_ignore_case is not`, async () => {
    expect(pairs(await search(`SELECT * FROM "default" WHERE match_all_raw('Error')`))).toEqual(
      oracle((r) => text(r, 'log').includes('Error') || text(r, 'message').includes('Error')),
    );
    expect(
      pairs(await search(`SELECT * FROM "default" WHERE match_all_raw_ignore_case('ERROR')`)),
    ).toEqual(oracle((r) => /error/i.test(text(r, 'log')) || /error/i.test(text(r, 'message'))));
  });
  it(`${phase}: str_match(log, 'error')`, async () => {
    expect(pairs(await search(`SELECT * FROM "default" WHERE str_match(log, 'error')`))).toEqual(
      oracle((r) => text(r, 'log').includes('error')),
    );
  });
  it(`${phase}: code = 200, code is null, code is not null, code > 399`, async () => {
    const code = (r: Raw): number | undefined =>
      typeof r['code'] === 'number' ? r['code'] : undefined;
    expect(pairs(await search(`SELECT * FROM "default" WHERE code = 200`))).toEqual(
      oracle((r) => code(r) === 200),
    );
    expect(pairs(await search(`SELECT * FROM "default" WHERE code IS NULL`))).toEqual(
      oracle((r) => code(r) === undefined),
    );
    expect(pairs(await search(`SELECT * FROM "default" WHERE code IS NOT NULL`))).toEqual(
      oracle((r) => code(r) !== undefined),
    );
    const failed = oracle((r) => (code(r) ?? 0) > 399);
    expect(failed.length).toBeGreaterThan(0);
    expect(pairs(await search(`SELECT * FROM "default" WHERE code > 399`))).toEqual(failed);
  });
  it(`${phase}: histogram total and GROUP BY namespace`, async () => {
    const histogram = await search(
      `SELECT histogram(_timestamp, '10 second') AS zo_sql_key, count(*) AS zo_sql_num FROM "default" GROUP BY zo_sql_key ORDER BY zo_sql_key`,
    );
    expect((histogram['hits'] as Raw[]).reduce((sum, h) => sum + Number(h['zo_sql_num']), 0)).toBe(
      981,
    );
    expect(histogram['histogram_interval']).toBe(10);
    const grouped = await search(
      `SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "default" GROUP BY ns ORDER BY ns`,
    );
    const want = new Map<string, number>();
    for (const r of raw) {
      const ns = text(r, 'kubernetes.namespace_name');
      want.set(ns, (want.get(ns) ?? 0) + 1);
    }
    const got = new Map((grouped['hits'] as Raw[]).map((h) => [String(h['ns']), Number(h['n'])]));
    expect(got).toEqual(want);
  });
}

describe.each([
  { storage: 'local disk', minio: false },
  { storage: 'MinIO', minio: true },
])('search over k8s log records on $storage', ({ minio: useMinio }) => {
  let minio: MinioServerHandle | undefined;
  let w: World;
  beforeAll(async () => {
    if (useMinio) minio = await startMinioServer();
    w = await world(
      minio === undefined
        ? undefined
        : () =>
            connectS3ObjectStore({
              endpoint: minio!.endpoint,
              region: minio!.region,
              accessKey: minio!.accessKey,
              secretKey: minio!.secretKey,
              bucket: 'oracle',
            }),
    );
    const body = jsonBody(raw);
    const result = await w.ingester.ingest({
      org: 'default',
      stream: 'default',
      streamType: 'logs',
      format: 'json',
      body,
    });
    expect(result.response?.status[0]?.successful).toBe(981);
  });
  afterAll(async () => {
    await w.close();
    await minio?.stop();
  });

  describe('straight after the ack (rows only in memory)', () => querySet(() => w, 'hot'));
  describe('after a flush (rows only in Parquet)', () => {
    beforeAll(async () => {
      await w.ingester.flush();
      expect((await w.ingester.hotStats('default')).length).toBe(0);
    });
    querySet(() => w, 'stored');
  });

  it('reports invalid SQL as 20001 and an unknown stream as 20002', async () => {
    const now = Date.now() * 1000;
    const range = { startTime: now - 3600e6, endTime: now };
    const bad = await w.querier
      .search('default', 'logs', { sql: 'SELEC nonsense', ...range })
      .catch((e: unknown) => e);
    const missing = await w.querier
      .search('default', 'logs', { sql: 'SELECT * FROM "nope"', ...range })
      .catch((e: unknown) => e);
    expect(isAppError(bad)).toBe(true);
    expect(isAppError(missing)).toBe(true);
    const { searchErrorCode } = await import('@o2/search');
    expect(searchErrorCode(bad)).toBe(20001);
    expect(searchErrorCode(missing)).toBe(20002);
  });
});
