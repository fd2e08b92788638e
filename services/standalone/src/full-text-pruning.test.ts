import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import type { Config } from '@o2/config';
import { createIngester } from '@o2/ingester';
import type { Ingester } from '@o2/ingester';
import { createLogger } from '@o2/logger';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { createQuerier } from '@o2/querier';
import { LocalObjectStore } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';

const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const FILES = 12;

describe('full-text index pruning', () => {
  let dir: TempDir;
  let config: Config;
  let metaStore: MetaStore;
  let cluster: MemoryCluster;
  let ingester: Ingester;

  beforeAll(async () => {
    dir = await makeTempDir('fts-pruning');
    config = loadConfig({
      ZO_DATA_DIR: `${dir.path}/`,
      ZO_MEM_PERSIST_INTERVAL: '3600',
      ZO_FILE_PUSH_INTERVAL: '3600',
    });
    metaStore = await openSqliteMetaStore({ path: `${dir.path}/db/metadata.sqlite` });
    await metaStore.migrate();
    cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
    ingester = createIngester({
      config,
      logger: silent,
      metaStore,
      objectStore: new LocalObjectStore(config.ZO_DATA_STREAM_DIR),
      cluster,
    });
    await ingester.start();
    // One uploaded file per flush; only file 7 holds the rare word.
    for (let file = 0; file < FILES; file++) {
      const records = Array.from({ length: 200 }, (_, i) => ({
        log:
          file === 7 && i % 50 === 0
            ? `payment failed for Zebra42Corp order ${i}`
            : `GET /api/items/${i} 200 ok`,
        message: `worker ${file}`,
      }));
      await ingester.ingest({
        org: 'default',
        stream: 'app',
        streamType: 'logs',
        format: 'json',
        body: Buffer.from(JSON.stringify(records)),
      });
      await ingester.flush();
    }
  });
  afterAll(async () => {
    await ingester.stop();
    await cluster.close();
    await metaStore.close();
    await dir.remove();
  });

  async function run(indexOn: boolean, sql: string) {
    const querierConfig = { ...config, ZO_ENABLE_INVERTED_INDEX: indexOn };
    const querier = createQuerier({
      config: querierConfig,
      logger: silent,
      metaStore,
      objectStore: new LocalObjectStore(config.ZO_DATA_STREAM_DIR),
      hotData: ingester,
    });
    await querier.start();
    try {
      const now = Date.now() * 1000;
      return await querier.search('default', 'logs', {
        sql,
        startTime: now - 3600e6,
        endTime: now + 60e6,
        size: -999,
      });
    } finally {
      await querier.stop();
    }
  }

  it('scans fewer files for a rare term with the index on, with the same rows', async () => {
    const sql = `SELECT log FROM "app" WHERE match_all('zebra42corp') ORDER BY log`;
    const on = await run(true, sql);
    const off = await run(false, sql);
    expect(on['hits']).toEqual(off['hits']);
    expect((on['hits'] as unknown[]).length).toBe(4);
    expect(off['scan_files']).toBe(FILES);
    expect(on['scan_files']).toBe(1);
    expect(on['pruned_files']).toBe(FILES - 1);
  });

  it('never prunes a file holding a substring of a word', async () => {
    const sql = `SELECT count(*) AS n FROM "app" WHERE match_all('ebra4')`;
    const on = await run(true, sql);
    expect((on['hits'] as Array<Record<string, unknown>>)[0]?.['n']).toBe(4);
  });

  it('prunes nothing when the term is also ORed with another condition', async () => {
    const sql = `SELECT count(*) AS n FROM "app" WHERE match_all('zebra42corp') OR message = 'worker 3'`;
    const on = await run(true, sql);
    expect((on['hits'] as Array<Record<string, unknown>>)[0]?.['n']).toBe(204);
    expect(on['pruned_files']).toBe(0);
  });
});
