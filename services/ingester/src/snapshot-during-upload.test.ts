import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ParquetEncoderPool } from '@o2/parquet';
import type { Schema } from '@o2/schema';
import { LocalObjectStore } from '@o2/storage';
import type { ObjectBody } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import type { MetaStore } from '@o2/metastore';
import { CycleChain } from './cycle-chain.js';
import { HOUR_MICROS } from './memtable/memtables.js';
import { Snapshotter } from './snapshotter.js';
import type { HotDataSnapshot } from './snapshotter.js';
import { silentLogger } from './test-support/ingester-fixture.js';
import { openPersistUploadWorld } from './test-support/persist-upload-world.js';

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

  /**
   * The metastore as the snapshotter sees it: its file_list reads wait for `listGate` when one
   * is set (a slow read under load), everything else is the real store.
   */
  function slowListing(
    metaStore: MetaStore,
    listGate: {
      current?: { wait(): Promise<void> };
      add?: { wait(): Promise<void> };
      reads?: number;
    },
  ) {
    const fileList = new Proxy(metaStore.fileList, {
      get: (target, name) =>
        name === 'query'
          ? async (...args: Parameters<MetaStore['fileList']['query']>) => {
              listGate.reads = (listGate.reads ?? 0) + 1;
              await listGate.current?.wait();
              return target.query(...args);
            }
          : (Reflect.get(target, name) as unknown),
    });
    return new Proxy(metaStore, {
      get: (target, name) =>
        name === 'fileList' ? fileList : (Reflect.get(target, name) as unknown),
    });
  }

  async function world(
    encodeGate?: { wait(): Promise<void> },
    own: { keepOwnUploadsMs?: number; now?: () => number } = {},
  ) {
    dir = await makeTempDir('snapshot-upload');
    const { memtables, persist, upload, objectStore, metaStore, close } =
      await openPersistUploadWorld({
        dataDir: dir.path,
        pool,
        objectStore: (streamDir) => new SlowStore(streamDir),
        encode: {
          encode: pool.encode,
          encodeGroups: async (groups, stats, options) => {
            await encodeGate?.wait();
            return pool.encodeGroups(groups, stats, options);
          },
        },
        ...own,
      });
    cleanup.push(close);
    const chain = new CycleChain(silentLogger);
    const listGate: {
      current?: { wait(): Promise<void> };
      add?: { wait(): Promise<void> };
      reads?: number;
    } = {};
    const snapshotter = new Snapshotter(memtables, slowListing(metaStore, listGate), chain, () => ({
      localFiles: persist.localFiles,
      persister: persist.persister,
      uploadedAs: (key: string) => upload.sourcesOf(key),
      uploadCycles: () => upload.cyclesStarted,
      ownUploads: (key) => upload.ownUploads(key),
    }));
    /** Rows the snapshot sees, each source counted once, and how long it took. */
    const look = async (
      how: 'snapshot' | 'hotData' = 'snapshot',
    ): Promise<{ snap: HotDataSnapshot; rows: number; ms: number }> => {
      const started = performance.now();
      const snap =
        how === 'hotData'
          ? await snapshotter.hotData(webRef, range)
          : await snapshotter.snapshot(webRef, range);
      const ms = performance.now() - started;
      const local = snap.localFiles.map((p) => persist.localFiles.get(p)?.meta.records ?? 0);
      const rows =
        snap.tables.reduce((n, t) => n + t.numRows, 0) +
        local.reduce((a, b) => a + b, 0) +
        snap.storedFiles.reduce((n, f) => n + f.records, 0);
      return { snap, rows, ms };
    };
    return { memtables, persist, upload, chain, objectStore, listGate, look };
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

  it('counts rows once when they are persisted and uploaded while its file_list read is slow', async () => {
    // Seen in the cluster e2e: a query's first search after an ingester restart counted the
    // rows just acknowledged by the other ingester twice. The snapshot copies the memtable, then
    // reads file_list; if a persist and an upload land in between, the stored file it then
    // reads holds the rows it already copied from memory.
    const { memtables, persist, upload, chain, objectStore, listGate, look } = await world();
    objectStore.puts.open();
    memtables.append(web, schema, rows(3, hour), [hour, hour + 1, hour + 2]);
    const slowRead = gate();
    listGate.current = slowRead;
    const looking = look();
    await new Promise((r) => setTimeout(r, 20));
    // The rows move memtable -> local file -> stored file while the read waits.
    await chain.run(async () => {
      await persist.cycle();
      await upload.cycle();
    });
    expect(persist.localFiles.list()).toEqual([]);
    slowRead.open();
    const seen = await looking;
    expect(seen.rows).toBe(3);
    expect(seen.snap.storedFiles).toHaveLength(1);
    seen.snap.release();
  });

  it('takes the snapshot on the chain when rows keep moving under its file_list reads', async () => {
    const { memtables, persist, upload, chain, objectStore, listGate, look } = await world();
    objectStore.puts.open();
    memtables.append(web, schema, rows(3, hour), [hour, hour + 1, hour + 2]);
    // Each of the first three reads sees a new row acknowledged, persisted and uploaded while it
    // runs (the loops run beside the snapshot); the fourth, on the chain, sees nothing move.
    let reads = 0;
    let chainBusy = false;
    listGate.current = {
      wait: async () => {
        if (++reads > 3) {
          let ran = false;
          void chain.run(() => {
            ran = true;
            return Promise.resolve();
          });
          await new Promise((r) => setTimeout(r, 20));
          chainBusy = !ran;
          return;
        }
        memtables.append(web, schema, rows(1, hour + 10 + reads), [hour + 10 + reads]);
        await persist.cycle();
        await upload.cycle();
      },
    };
    const seen = await look();
    expect(reads).toBe(4);
    expect(chainBusy).toBe(true);
    expect(seen.rows).toBe(6);
    // Three uploads: the first merged the three rows with the first new one.
    expect(seen.snap.storedFiles).toHaveLength(3);
    seen.snap.release();
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
  // A leader read file_list before asking: the ingester names its own uploads from memory.
  it('hotData counts each row once through an upload from its own uploads, reading no file_list', async () => {
    const { memtables, persist, upload, chain, objectStore, listGate, look } = await world(
      undefined,
      { keepOwnUploadsMs: 0 },
    );
    memtables.append(web, schema, rows(3, hour), [hour, hour + 1, hour + 2]);
    await persist.cycle();
    const uploading = chain.run(() => upload.cycle());
    memtables.append(web, schema, rows(2, hour + 10), [hour + 10, hour + 11]);
    await new Promise((r) => setTimeout(r, 20));
    const during = await look('hotData');
    expect(during).toMatchObject({ rows: 5, snap: { ownUploadsMs: 0, storedFiles: [] } });
    expect(during.snap.localFiles).toHaveLength(1);
    during.snap.release();

    objectStore.puts.open();
    await uploading;
    const after = await look('hotData');
    expect(after.rows).toBe(5);
    expect(after.snap.localFiles).toEqual([]);
    expect(after.snap.storedFiles.map((f) => f.records)).toEqual([3]);
    after.snap.release();
    expect(listGate.reads ?? 0).toBe(0);
    // The same upload, as file_list has it.
    const listed = await look();
    expect(listed.snap.storedFiles.map((f) => f.file)).toEqual(
      after.snap.storedFiles.map((f) => f.file),
    );
    listed.snap.release();
  });

  it('hotData names an upload for its window, and says how far back it knows them all', async () => {
    let clock = 1_700_000_000_000;
    const keepOwnUploadsMs = 60_000;
    const { memtables, persist, upload, objectStore, listGate, look } = await world(undefined, {
      keepOwnUploadsMs,
      now: () => clock,
    });
    objectStore.puts.open();
    memtables.append(web, schema, rows(3, hour), [hour, hour + 1, hour + 2]);
    await persist.cycle();
    await upload.cycle();
    // Just started: an earlier run's uploads are not known, and the answer says so (a leader
    // whose read is older than that takes its snapshot again).
    const early = await look('hotData');
    expect(early).toMatchObject({ rows: 3, snap: { ownUploadsMs: 0 } });
    early.snap.release();
    clock += keepOwnUploadsMs / 2;
    const kept = await look('hotData');
    expect(kept).toMatchObject({ rows: 3, snap: { ownUploadsMs: keepOwnUploadsMs / 2 } });
    kept.snap.release();
    clock += keepOwnUploadsMs / 2;
    // Past the window (longer than any leader waits after its read), the leader has it listed.
    clock += keepOwnUploadsMs;
    memtables.append(web, schema, rows(1, hour + 5), [hour + 5]);
    await persist.cycle();
    await upload.cycle();
    const later = await look('hotData');
    expect(later.snap.storedFiles.map((f) => f.records)).toEqual([1]);
    expect(later.snap.ownUploadsMs).toBe(keepOwnUploadsMs);
    expect(listGate.reads ?? 0).toBe(0);
    later.snap.release();
  });
});
