import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { storedFileKey } from '@o2/domain';
import { ParquetEncoderPool, readParquet } from '@o2/parquet';
import type { Schema } from '@o2/schema';
import { LocalObjectStore } from '@o2/storage';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { HOUR_MICROS } from './memtable/memtables.js';
import { openPersistUploadWorld } from './test-support/persist-upload-world.js';

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

  /** A persist + upload world over local disk, closed after the test. */
  async function localWorld(name: string) {
    dir = await makeTempDir(name);
    const world = await openPersistUploadWorld({
      dataDir: dir.path,
      pool,
      objectStore: (streamDir) => new LocalObjectStore(streamDir),
    });
    cleanup.push(world.close);
    return world;
  }

  it('uploads committed local files to the object store and registers them in file_list', async () => {
    const { memtables, persist, upload, metaStore, objectStore } = await localWorld('upload-loop');
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

  it("merges a stream-hour's local files (in the pool worker) into one sorted object", async () => {
    const { memtables, persist, upload, metaStore, objectStore } =
      await localWorld('upload-loop-merge');
    for (const batch of [0, 1]) {
      const ts = [0, 1, 2].map((i) => hour + i * 2 + batch);
      memtables.append(
        web,
        schema,
        ts.map((t) => ({ _timestamp: t, msg: `m${t - hour}` })),
        ts,
      );
      await persist.cycle();
    }
    expect(persist.localFiles.list()).toHaveLength(2);

    expect(await upload.cycle()).toMatchObject({ uploaded: 1, pending: 0 });
    expect(persist.localFiles.list()).toEqual([]);
    const stored = await metaStore.fileList.query(
      { org: 'default', type: 'logs', name: 'web' },
      { startTs: hour, endTs: hour + HOUR_MICROS },
    );
    expect(stored.map((f) => [f.records, f.minTs, f.maxTs])).toEqual([[6, hour, hour + 5]]);
    const [entry] = stored as [(typeof stored)[number]];
    const table = await readParquet(await objectStore.getBytes(storedFileKey(entry)));
    expect([...table.getChild('msg')!]).toEqual(['m5', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });
});
