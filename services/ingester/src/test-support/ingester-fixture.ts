import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import type { Config } from '@o2/config';
import { createLogger } from '@o2/logger';
import type { Logger } from '@o2/logger';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { LocalObjectStore } from '@o2/storage';
import type { ObjectStore } from '@o2/storage';
import { generateK8sLogs, jsonBody, makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { createIngester } from '../app.js';
import type { Ingester } from '../app.js';

/** A JSON array body of 981 generated k8s log records, the size of O2's sample. */
export const k8slogBody = (): Uint8Array => jsonBody(generateK8sLogs());

export const silentLogger: Logger = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});

export interface IngesterWorld {
  dir: TempDir;
  config: Config;
  metaStore: MetaStore;
  objectStore: ObjectStore;
  cluster: MemoryCluster;
  /** A new ingester over the same directories and stores (a restart). */
  boot(): Promise<Ingester>;
  close(): Promise<void>;
}

/** Real stores in a temp dir; long timer intervals so tests decide when cycles run. */
export async function ingesterWorld(
  env: Record<string, string> = {},
  objectStore?: ObjectStore,
): Promise<IngesterWorld> {
  const dir = await makeTempDir('ingester');
  const config = loadConfig({
    ZO_DATA_DIR: `${dir.path}/`,
    ZO_MEM_PERSIST_INTERVAL: '3600',
    ZO_FILE_PUSH_INTERVAL: '3600',
    ...env,
  });
  const metaStore = await openSqliteMetaStore({ path: `${dir.path}/db/metadata.sqlite` });
  await metaStore.migrate();
  const store = objectStore ?? new LocalObjectStore(config.ZO_DATA_STREAM_DIR);
  const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
  const started: Ingester[] = [];
  return {
    dir,
    config,
    metaStore,
    objectStore: store,
    cluster,
    boot: async () => {
      const ingester = createIngester({
        config,
        logger: silentLogger,
        metaStore,
        objectStore: store,
        cluster,
      });
      await ingester.start();
      started.push(ingester);
      return ingester;
    },
    close: async () => {
      await cluster.close();
      await metaStore.close();
      await dir.remove();
    },
  };
}

/** Rows and the set of a column's values in Parquet files, read by a real DuckDB. */
export async function duckdbQuery(sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
