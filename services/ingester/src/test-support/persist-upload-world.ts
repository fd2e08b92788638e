import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { openSqliteMetaStore } from '@o2/metastore';
import type { ParquetEncoderPool } from '@o2/parquet';
import type { LocalObjectStore } from '@o2/storage';
import { FileIndexPool } from '@o2/token-index';
import { Memtables } from '../memtable/memtables.js';
import { PersistLoop } from '../persist-loop.js';
import type { Encoder } from '../persist/persister.js';
import { Quarantine } from '../persist/quarantine.js';
import { StoreHealth } from '../persist/store-health.js';
import { UploadLoop } from '../upload-loop.js';
import { WriteGate } from '../write-gate.js';
import { silentLogger } from './ingester-fixture.js';

/**
 * An ingester's persist and upload loops over real files in `dataDir`: SQLite metastore, an
 * in-memory cluster, the object store `objectStore` makes of the stream dir, and `encode` (the
 * pool's by default; a test may hold it), side indexes from a worker pool of its own. `close` releases them, newest first.
 */
export async function openPersistUploadWorld<S extends LocalObjectStore>(options: {
  dataDir: string;
  pool: ParquetEncoderPool;
  objectStore: (streamDir: string) => S;
  encode?: Encoder;
  /** The uploader's own-uploads window (`OwnUploads`); default the config's. */
  keepOwnUploadsMs?: number;
  now?: () => number;
}) {
  const config = loadConfig({ ZO_DATA_DIR: `${options.dataDir}/` });
  const metaStore = await openSqliteMetaStore({ path: `${options.dataDir}/meta.sqlite` });
  await metaStore.migrate();
  const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
  const objectStore = options.objectStore(config.ZO_DATA_STREAM_DIR);
  const now = options.now ?? (() => 1_700_000_000_000);
  const walRoot = config.ZO_DATA_WAL_DIR;
  const shared = {
    config,
    walRoot,
    health: new StoreHealth(now),
    quarantine: new Quarantine(`${walRoot}/quarantine`, now, () => undefined),
    maxAttempts: 3,
    maxBackoffMs: 1_000,
    now,
    logger: silentLogger,
  };
  const memtables = new Memtables(now);
  const pool = options.pool;
  const persist = await PersistLoop.open({
    ...shared,
    memtables,
    gate: new WriteGate(),
    encode: options.encode ?? pool,
  });
  const indexPool = new FileIndexPool();
  const upload = await UploadLoop.open({
    ...shared,
    buildIndexes: indexPool.build,
    merge: (files, schema, cluster) => pool.merge(files, schema, { cluster }),
    maxUploadBytes: 64 * 1024 * 1024,
    localFiles: persist.localFiles,
    objectStore,
    metaStore,
    cluster,
    ...(options.keepOwnUploadsMs === undefined
      ? {}
      : { keepOwnUploadsMs: options.keepOwnUploadsMs }),
  });
  const close = async () => {
    await indexPool.close();
    await persist.wal.close();
    await cluster.close();
    await metaStore.close();
  };
  return { config, metaStore, cluster, objectStore, memtables, persist, upload, close };
}
