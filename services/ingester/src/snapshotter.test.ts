import { stat } from 'node:fs/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@o2/config';
import { openSqliteMetaStore } from '@o2/metastore';
import type { MetaStore } from '@o2/metastore';
import { ParquetEncoderPool } from '@o2/parquet';
import type { Schema } from '@o2/schema';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { CycleChain } from './cycle-chain.js';
import { HOUR_MICROS, Memtables } from './memtable/memtables.js';
import { PersistLoop } from './persist-loop.js';
import { Quarantine } from './persist/quarantine.js';
import { StoreHealth } from './persist/store-health.js';
import { Snapshotter } from './snapshotter.js';
import { silentLogger } from './test-support/ingester-fixture.js';
import { WriteGate } from './write-gate.js';

const schema: Schema = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'msg', type: 'Utf8' },
];
const hour = 1_000 * HOUR_MICROS;
const web = { org: 'default', type: 'logs' as const, stream: 'web' };
const webRef = { org: 'default', type: 'logs' as const, name: 'web' };
const rows = (n: number, from: number) =>
  Array.from({ length: n }, (_, i) => ({ _timestamp: from + i, msg: `m${i}` }));

describe('Snapshotter', () => {
  let dir: TempDir | undefined;
  let metaStore: MetaStore | undefined;
  let persist: PersistLoop | undefined;
  const pool = new ParquetEncoderPool({ size: 1 });
  afterAll(() => pool.close());
  afterEach(async () => {
    await persist?.wal.close();
    await metaStore?.close();
    await dir?.remove();
    [persist, metaStore, dir] = [undefined, undefined, undefined];
  });

  async function world() {
    dir = await makeTempDir('snapshotter');
    const config = loadConfig({ ZO_DATA_DIR: `${dir.path}/` });
    metaStore = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
    await metaStore.migrate();
    const memtables = new Memtables(() => 5_000);
    const chain = new CycleChain(silentLogger);
    const walRoot = config.ZO_DATA_WAL_DIR;
    persist = await PersistLoop.open({
      config,
      walRoot,
      memtables,
      gate: new WriteGate(),
      health: new StoreHealth(() => 5_000),
      quarantine: new Quarantine(
        `${walRoot}/quarantine`,
        () => 5_000,
        () => undefined,
      ),
      encode: pool,
      maxAttempts: 3,
      maxBackoffMs: 1_000,
      now: () => 5_000,
      logger: silentLogger,
    });
    const held = persist;
    const snapshotter = new Snapshotter(memtables, metaStore, chain, () => held);
    return { memtables, chain, persist: held, snapshotter, metaStore };
  }

  it('sees memtable rows, then the committed local file (pinned until released), never both', async () => {
    const { memtables, persist, snapshotter } = await world();
    memtables.append(web, schema, rows(3, hour + 10), [hour + 10, hour + 11, hour + 12]);
    memtables.append({ ...web, stream: 'api' }, schema, rows(1, hour), [hour]);
    const range = { startTs: hour, endTs: hour + HOUR_MICROS };

    const before = await snapshotter.snapshot(webRef, range);
    expect(before.tables.reduce((n, t) => n + t.numRows, 0)).toBe(3);
    expect(before.localFiles).toEqual([]);
    before.release();
    // No row added: the same copy again (the search engine reuses its Parquet of it).
    const again = await snapshotter.snapshot(webRef, range);
    expect(again.tables[0]).toBe(before.tables[0]);
    again.release();

    await persist.cycle();
    const after = await snapshotter.snapshot(webRef, range);
    expect(after.tables).toEqual([]);
    expect(after.localFiles).toHaveLength(1);
    const [path] = after.localFiles as [string];
    expect((await stat(path)).size).toBeGreaterThan(0);
    let unpinned = false;
    const waiting = persist.localFiles.whenUnpinned(path).then(() => (unpinned = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(unpinned).toBe(false);
    after.release();
    after.release(); // a second release must not unpin another reader's pin
    await waiting;
    expect(unpinned).toBe(true);

    const outside = await snapshotter.snapshot(webRef, { startTs: 0, endTs: hour });
    expect(outside.localFiles).toEqual([]);
    outside.release();
  });

  it('sums memtables and local files per stream in hotStats, and says which streams it holds', async () => {
    const { memtables, persist, snapshotter } = await world();
    memtables.append(web, schema, rows(2, hour + 5), [hour + 5, hour + 6]);
    await persist.cycle();
    memtables.append(web, schema, rows(1, hour + 1), [hour + 1]);
    memtables.append({ ...web, org: 'other' }, schema, rows(4, hour), [hour, hour, hour, hour]);

    const stats = snapshotter.hotStats('default');
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ ...web, records: 3, minTs: hour + 1, maxTs: hour + 6 });
    expect(stats[0]?.bytes).toBeGreaterThan(0);
    expect(snapshotter.hotStats('other')).toMatchObject([{ org: 'other', records: 4 }]);
    expect(snapshotter.holds('default', 'logs', 'web')).toBe(true);
    expect(snapshotter.holds('default', 'logs', 'api')).toBe(false);
    expect(snapshotter.holds('default', 'traces', 'web')).toBe(false);
  });

  it('reads stored files of the range without waiting for the job ahead of it on the chain', async () => {
    const { chain, snapshotter, metaStore } = await world();
    const entry = {
      ...web,
      date: '2026/12/03/10',
      minTs: hour,
      maxTs: hour + 100,
      records: 7,
      originalSize: 70,
      compressedSize: 30,
      indexSize: 0,
      flattened: false,
    };
    await metaStore.fileList.add([
      { ...entry, file: 'in.parquet' },
      { ...entry, file: 'late.parquet', minTs: hour + HOUR_MICROS, maxTs: hour + HOUR_MICROS },
    ]);
    let finish = (): void => undefined;
    const ahead = chain.run(() => new Promise<void>((r) => (finish = r)));
    // Persist and upload keep the snapshot consistent without the chain (see snapshot-during-
    // upload.test.ts), so a long job ahead does not hold the query.
    const snap = await snapshotter.snapshot(webRef, { startTs: hour, endTs: hour + HOUR_MICROS });
    expect(snap.storedFiles.map((f) => f.file)).toEqual(['in.parquet']);
    snap.release();
    finish();
    await ahead;
  });
});
