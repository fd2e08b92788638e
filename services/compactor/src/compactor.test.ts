import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCluster } from '@o2/cluster';
import { loadConfig } from '@o2/config';
import { createLogger } from '@o2/logger';
import { openSqliteMetaStore } from '@o2/metastore';
import type { FileEntry, MetaStore } from '@o2/metastore';
import { LocalObjectStore } from '@o2/storage';
import { fileEntryFixture, makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { createCompactor } from './app.js';
import { MARK_MARGIN_MS } from './file-list-upkeep.js';

const silent = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const ref = { org: 'default', type: 'logs' as const, name: 'app' };

const entry = (file: string): FileEntry => fileEntryFixture({ file });
const keyOf = (file: string): string => `files/default/logs/app/2026/11/28/07/${file}`;

/** A compactor whose clock reads `now`, with a 120-minute delete delay. */
function compactorAt(
  dir: TempDir,
  metaStore: MetaStore,
  objectStore: LocalObjectStore,
  now: number,
  storedFileReads?: { oldestSince(): number | undefined },
) {
  return createCompactor({
    config: loadConfig({
      ZO_DATA_DIR: `${dir.path}/`,
      ZO_COMPACT_DELETE_FILES_DELAY_MINUTES: '120',
    }),
    logger: silent,
    cluster: new MemoryCluster({ nodeTtlMs: 5_000 }),
    metaStore,
    objectStore,
    nodeId: 'n1',
    now: () => now,
    ...(storedFileReads === undefined ? {} : { storedFileReads }),
  });
}

describe('compactor file_list upkeep', () => {
  let dir: TempDir | undefined;
  let metaStore: MetaStore | undefined;
  afterEach(async () => {
    await metaStore?.close();
    await dir?.remove();
  });

  it('removes the objects and rows of files deleted longer ago than the delay, and nothing else', async () => {
    dir = await makeTempDir('compactor');
    metaStore = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
    await metaStore.migrate();
    const objects = new LocalObjectStore(`${dir.path}/stream`);
    for (const file of ['a.parquet', 'b.parquet', 'c.parquet']) {
      await objects.put(keyOf(file), new Uint8Array([1, 2, 3]));
      await objects.put(keyOf(file).replace('.parquet', '.tokens'), new Uint8Array([4]));
    }
    await metaStore.fileList.add(['a.parquet', 'b.parquet', 'c.parquet'].map(entry));
    await metaStore.fileList.markDeleted(ref, [
      { date: '2026/11/28/07', file: 'a.parquet' },
      { date: '2026/11/28/07', file: 'b.parquet' },
    ]);

    const make = (now: number) => compactorAt(dir!, metaStore!, objects, now);

    // Within the delay nothing goes: a running query may still read the files.
    expect((await make(Date.now()).runOnce()).purgedFiles).toBe(0);
    expect(await objects.head(keyOf('a.parquet'))).toBeDefined();

    expect((await make(Date.now() + 121 * 60_000).runOnce()).purgedFiles).toBe(2);
    expect(await objects.head(keyOf('a.parquet'))).toBeUndefined();
    expect(await objects.head(keyOf('b.tokens'))).toBeUndefined();
    expect(await objects.head(keyOf('c.parquet'))).toBeDefined();
    expect(await metaStore.fileList.listDeleted(Date.now() + 10 ** 9, 10)).toEqual([]);
    expect((await metaStore.fileList.query(ref)).map((f) => f.file)).toEqual(['c.parquet']);
  });

  it('on a single node purges once no query that began before the mark runs, enrichment tables after the delay', async () => {
    dir = await makeTempDir('compactor');
    metaStore = await openSqliteMetaStore({ path: `${dir.path}/meta.sqlite` });
    await metaStore.migrate();
    const objects = new LocalObjectStore(`${dir.path}/stream`);
    const enrichment = { org: 'default', type: 'enrichment_tables' as const, name: 'app' };
    const enrichmentKey = 'files/default/enrichment_tables/app/2026/11/28/07/e.parquet';
    for (const key of [keyOf('a.parquet'), keyOf('b.parquet'), enrichmentKey]) {
      await objects.put(key, new Uint8Array([1, 2, 3]));
    }
    await metaStore.fileList.add([
      entry('a.parquet'),
      entry('b.parquet'),
      { ...entry('e.parquet'), type: 'enrichment_tables' },
    ]);
    const marked = Date.now();
    await metaStore.fileList.markDeleted(ref, [{ date: '2026/11/28/07', file: 'a.parquet' }]);
    await metaStore.fileList.markDeleted(enrichment, [
      { date: '2026/11/28/07', file: 'e.parquet' },
    ]);

    let oldestQuery: number | undefined;
    const make = (now: number) =>
      compactorAt(dir!, metaStore!, objects, now, { oldestSince: () => oldestQuery });
    const later = marked + MARK_MARGIN_MS + 10_000;

    // Right after the mark nothing goes: a query may have listed the file as the mark committed.
    expect((await make(marked + 1000).runOnce()).purgedFiles).toBe(0);
    // A query that began before the mark is still running: it may read a.parquet.
    oldestQuery = marked - 5000;
    expect((await make(later).runOnce()).purgedFiles).toBe(0);
    expect(await objects.head(keyOf('a.parquet'))).toBeDefined();
    // It ended; only queries begun well after the mark run: a.parquet goes, long before the delay.
    oldestQuery = later;
    expect((await make(later).runOnce()).purgedFiles).toBe(1);
    expect(await objects.head(keyOf('a.parquet'))).toBeUndefined();
    expect(await objects.head(keyOf('b.parquet'))).toBeDefined();
    // The enrichment table's file waits out the delay (its loader is not one of the queries).
    expect(await objects.head(enrichmentKey)).toBeDefined();
    oldestQuery = undefined;
    expect((await make(marked + 121 * 60_000).runOnce()).purgedFiles).toBe(1);
    expect(await objects.head(enrichmentKey)).toBeUndefined();
  });
});
