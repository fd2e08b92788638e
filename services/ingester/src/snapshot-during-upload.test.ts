import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { openSqliteMetaStore } from '@o2/metastore';
import { ParquetEncoderPool } from '@o2/parquet';
import type { Schema } from '@o2/schema';
import { LocalObjectStore } from '@o2/storage';
import type { ObjectBody } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import type { Table } from 'apache-arrow';
import { CycleChain } from './cycle-chain.js';
import { HOUR_MICROS, Memtables } from './memtable/memtables.js';
import { PersistLoop } from './persist-loop.js';
import { Quarantine } from './persist/quarantine.js';
import { StoreHealth } from './persist/store-health.js';
import { Snapshotter } from './snapshotter.js';
import type { StreamSnapshot } from './snapshotter.js';
import { silentLogger } from './test-support/ingester-fixture.js';
import { UploadLoop } from './upload-loop.js';
import { WriteGate } from './write-gate.js';

const schema: Schema = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'msg', type: 'Utf8' },
];
const hour = 490_000 * HOUR_MICROS;
const web = { org: 'default', type: 'logs' as const, stream: 'web' };
const webRef = { org: 'default', type: 'logs' as const, name: 'web' };
const range = { startTs: hour, endTs: hour + HOUR_MICROS };
const rows = (n: number, from: number) =>
  Array.from({ length: n }, (_, i) => ({ _timestamp: from + i, msg: `m${from + i}` }));

/** A gate a test opens: `wait()` blocks until `open()`. */
function gate() {
  let open = (): void => undefined;
  const opened = new Promise<void>((r) => (open = r));
  return { wait: () => opened, open };
}

/** An object store whose puts wait until the test lets them through (a slow upload). */
class SlowStore extends LocalObjectStore {
  puts = gate();
  override async put(key: string, body: ObjectBody): Promise<void> {
    await this.puts.wait();
    return super.put(key, body);
  }
}

describe('Snapshot during persist and upload', () => {
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

  async function world(encodeGate?: { wait(): Promise<void> }) {
    dir = await makeTempDir('snapshot-upload');
    const config = loadConfig({ ZO_DATA_DIR: `${dir.path}/` });
    const metaStore = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
    await metaStore.migrate();
    const cluster = new MemoryCluster({ nodeTtlMs: 5_000 });
    const objectStore = new SlowStore(config.ZO_DATA_STREAM_DIR);
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
      encode: async (t: Table) => {
        await encodeGate?.wait();
        return pool.encode(t);
      },
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
    const chain = new CycleChain(silentLogger);
    const snapshotter = new Snapshotter(memtables, metaStore, chain, () => ({
      localFiles: persist.localFiles,
      persister: persist.persister,
      uploadedAs: (key: string) => upload.sourcesOf(key),
    }));
    /** Rows the snapshot sees, each source counted once, and how long it took. */
    const look = async (): Promise<{ snap: StreamSnapshot; rows: number; ms: number }> => {
      const started = performance.now();
      const snap = await snapshotter.snapshot(webRef, range);
      const ms = performance.now() - started;
      const local = snap.localFiles.map((p) => persist.localFiles.get(p)?.meta.records ?? 0);
      const rows =
        snap.tables.reduce((n, t) => n + t.numRows, 0) +
        local.reduce((a, b) => a + b, 0) +
        snap.storedFiles.reduce((n, f) => n + f.records, 0);
      return { snap, rows, ms };
    };
    return { memtables, persist, upload, chain, objectStore, look };
  }

  it('answers at once and sees every row once while an upload is stuck on the object store', async () => {
    const { memtables, persist, upload, chain, objectStore, look } = await world();
    memtables.append(web, schema, rows(3, hour), [hour, hour + 1, hour + 2]);
    await persist.cycle();
    // The upload job holds the chain, waiting on the object store.
    const uploading = chain.run(() => upload.cycle());
    memtables.append(web, schema, rows(2, hour + 10), [hour + 10, hour + 11]);
    await new Promise((r) => setTimeout(r, 20));

    const during = await look();
    expect(during.ms).toBeLessThan(1_000);
    expect(during.rows).toBe(5);
    expect(during.snap.localFiles).toHaveLength(1);
    expect(during.snap.storedFiles).toHaveLength(0);

    // `during` keeps its local file pinned: the upload registers the stored file, then waits.
    objectStore.puts.open();
    let registered = await look();
    for (let i = 0; i < 300 && registered.snap.storedFiles.length === 0; i++) {
      registered.snap.release();
      await new Promise((r) => setTimeout(r, 10));
      registered = await look();
    }
    expect(registered.snap.storedFiles).toHaveLength(1);
    expect(registered.snap.localFiles).toEqual([]); // read from the stored file instead
    expect(registered.rows).toBe(5);
    registered.snap.release();

    during.snap.release();
    await uploading;
    const after = await look();
    expect(after.rows).toBe(5);
    expect(after.snap.localFiles).toEqual([]);
    after.snap.release();
  });

  it('reads rows being persisted from memory until their local file is listed', async () => {
    const encodes = gate();
    const { memtables, persist, chain, look } = await world(encodes);
    memtables.append(web, schema, rows(3, hour), [hour, hour + 1, hour + 2]);
    const persisting = chain.run(() => persist.cycle());
    await new Promise((r) => setTimeout(r, 20));
    memtables.append(web, schema, rows(1, hour + 20), [hour + 20]);

    const during = await look();
    expect(during.ms).toBeLessThan(1_000);
    expect(during.rows).toBe(4);
    expect(during.snap.localFiles).toEqual([]);
    during.snap.release();

    encodes.open();
    await persisting;
    const after = await look();
    expect(after.rows).toBe(4);
    expect(after.snap.localFiles).toHaveLength(1);
    after.snap.release();
  });
});
