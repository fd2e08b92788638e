import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { openSqliteMetaStore } from '@o2/metastore';
import { ParquetEncoderPool } from '@o2/parquet';
import type { Schema } from '@o2/schema';
import { LocalObjectStore } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { HOUR_MICROS, Memtables } from './memtable/memtables.js';
import { PersistLoop } from './persist-loop.js';
import { Quarantine } from './persist/quarantine.js';
import { StoreHealth } from './persist/store-health.js';
import { silentLogger } from './test-support/ingester-fixture.js';
import { UploadLoop } from './upload-loop.js';
import { WriteGate } from './write-gate.js';

const schema: Schema = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'msg', type: 'Utf8' },
];
const hour = 490_000 * HOUR_MICROS;
const web = { org: 'default', type: 'logs' as const, stream: 'web' };

describe('UploadLoop', () => {
  let dir: TempDir | undefined;
  let cleanup: Array<() => Promise<void>> = [];
  const pool = new ParquetEncoderPool({ size: 1 });
  afterAll(() => pool.close());
  afterEach(async () => {
    for (const close of cleanup.reverse()) await close();
    cleanup = [];
    await dir?.remove();
    dir = undefined;
  });

  it('uploads committed local files to the object store and registers them in file_list', async () => {
    dir = await makeTempDir('upload-loop');
    const config = loadConfig({ ZO_DATA_DIR: `${dir.path}/` });
    const metaStore = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
    await metaStore.migrate();
    const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
    const objectStore = new LocalObjectStore(config.ZO_DATA_STREAM_DIR);
    cleanup.push(
      () => metaStore.close(),
      () => cluster.close(),
    );
    const now = () => 1_700_000_000_000;
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
    const persist = await PersistLoop.open({
      ...shared,
      memtables,
      gate: new WriteGate(),
      encode: (t) => pool.encode(t),
    });
    cleanup.push(() => persist.wal.close());
    const upload = await UploadLoop.open({
      ...shared,
      encode: (t, o) => pool.encode(t, o),
      maxUploadBytes: 64 * 1024 * 1024,
      localFiles: persist.localFiles,
      objectStore,
      metaStore,
      cluster,
    });
    memtables.append(
      web,
      schema,
      [0, 1, 2].map((i) => ({ _timestamp: hour + i, msg: `m${i}` })),
      [hour, hour + 1, hour + 2],
    );
    await persist.cycle();
    expect(persist.localFiles.list()).toHaveLength(1);

    expect(await upload.cycle()).toMatchObject({ uploaded: 1, pending: 0 });
    expect(persist.localFiles.list()).toEqual([]);
    const stored = await metaStore.fileList.query(
      { org: 'default', type: 'logs', name: 'web' },
      { startTs: hour, endTs: hour + HOUR_MICROS },
    );
    expect(stored.map((f) => f.records)).toEqual([3]);
    const [entry] = stored as [(typeof stored)[number]];
    const objects: Array<{ key: string; size: number }> = [];
    for await (const o of objectStore.list('')) objects.push(o);
    const uploaded = objects.filter((o) => o.key.endsWith(`/${entry.date}/${entry.file}`));
    expect(uploaded.map((o) => o.size)).toEqual([entry.compressedSize]);
    // Nothing left: a second round uploads nothing.
    expect(await upload.cycle()).toMatchObject({ uploaded: 0, pending: 0 });
  });
});
