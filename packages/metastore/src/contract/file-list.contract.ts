import { describe, expect, it } from 'vitest';
import type { FileEntry, StreamRef } from '../meta-store.js';
import type { ContractContext } from './contract-context.js';

const ref: StreamRef = { org: 'default', type: 'logs', name: 'app' };

/** A file of `ref` covering the closed µs range [minTs, maxTs]. */
function entry(
  file: string,
  minTs: number,
  maxTs: number,
  extra: Partial<FileEntry> = {},
): FileEntry {
  return {
    org: ref.org,
    type: ref.type,
    stream: ref.name,
    date: '2024/08/01/10',
    file,
    minTs,
    maxTs,
    records: 10,
    originalSize: 1000,
    compressedSize: 100,
    indexSize: 5,
    flattened: false,
    ...extra,
  };
}

export function fileListContract({ store, clock }: ContractContext): void {
  describe('fileList', () => {
    it('registers files and returns them with every field, int64 µs values intact', async () => {
      const big = Number.MAX_SAFE_INTEGER - 1;
      const files = [
        entry('k8s_namespace=prod/b.parquet', 1_722_506_400_000_000, big, {
          records: 2 ** 40,
          originalSize: 2 ** 45,
          compressedSize: 2 ** 33,
          indexSize: 0,
          flattened: true,
        }),
        entry('a.parquet', 1_722_506_300_000_000, 1_722_506_399_999_999),
      ];
      await store().fileList.add(files);
      const stored = await store().fileList.query(ref);
      expect(stored.map(({ id: _id, updatedAt: _u, ...rest }) => rest)).toEqual([
        files[1],
        files[0],
      ]);
      expect(stored.every((f) => f.updatedAt === clock.now && Number.isInteger(f.id))).toBe(true);
      expect(
        await store().fileList.get(ref, '2024/08/01/10', 'k8s_namespace=prod/b.parquet'),
      ).toEqual(stored[1]);
      expect(await store().fileList.get(ref, '2024/08/01/11', 'a.parquet')).toBeUndefined();
    });

    it('add is idempotent: re-adding neither fails nor duplicates nor overwrites', async () => {
      await store().fileList.add([entry('a.parquet', 100, 199)]);
      await store().fileList.add([
        entry('a.parquet', 100, 199, { records: 999 }),
        entry('b.parquet', 200, 299),
      ]);
      await store().fileList.add([entry('b.parquet', 200, 299)]);
      const stored = await store().fileList.query(ref);
      expect(stored.map((f) => [f.file, f.records])).toEqual([
        ['a.parquet', 10],
        ['b.parquet', 10],
      ]);
      await store().fileList.add([]);
    });

    it('registers large batches completely', async () => {
      const many = Array.from({ length: 450 }, (_, i) =>
        entry(`f${String(i).padStart(4, '0')}.parquet`, i * 10, i * 10 + 9),
      );
      await store().fileList.add(many);
      expect(await store().fileList.query(ref)).toHaveLength(450);
      expect((await store().fileList.stats(ref)).records).toBe(4500);
    });

    it('rejects malformed entries with INVALID_ARGUMENT and stores none of the batch', async () => {
      await expect(
        store().fileList.add([entry('ok.parquet', 1, 2), entry('bad.parquet', 5, 4)]),
      ).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(store().fileList.add([entry('frac.parquet', 1.5, 2)])).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      expect(await store().fileList.query(ref)).toEqual([]);
    });

    it('returns files overlapping the half-open range [startTs, endTs)', async () => {
      await store().fileList.add([
        entry('early.parquet', 100, 199),
        entry('middle.parquet', 200, 299),
        entry('late.parquet', 300, 399),
        entry('point.parquet', 250, 250),
        entry('wide.parquet', 0, 1000),
      ]);
      const names = async (startTs: number, endTs: number): Promise<string[]> =>
        (await store().fileList.query(ref, { startTs, endTs })).map((f) => f.file).sort();
      // maxTs == startTs overlaps; minTs == endTs does not.
      expect(await names(199, 300)).toEqual([
        'early.parquet',
        'middle.parquet',
        'point.parquet',
        'wide.parquet',
      ]);
      expect(await names(200, 300)).toEqual(['middle.parquet', 'point.parquet', 'wide.parquet']);
      expect(await names(251, 300)).toEqual(['middle.parquet', 'wide.parquet']);
      // A range inside one file finds it.
      expect(await names(120, 130)).toEqual(['early.parquet', 'wide.parquet']);
      expect(await names(1001, 2000)).toEqual([]);
      expect(await names(1000, 1001)).toEqual(['wide.parquet']);
      // An empty range matches nothing.
      expect(await names(250, 250)).toEqual([]);
    });

    it('keeps streams, types and orgs apart', async () => {
      await store().fileList.add([
        entry('mine.parquet', 0, 10),
        { ...entry('other-stream.parquet', 0, 10), stream: 'other' },
        { ...entry('other-type.parquet', 0, 10), type: 'metrics' },
        { ...entry('other-org.parquet', 0, 10), org: 'acme' },
        // Same date and file name in another stream is a different file.
        { ...entry('mine.parquet', 0, 10), stream: 'other' },
      ]);
      expect((await store().fileList.query(ref)).map((f) => f.file)).toEqual(['mine.parquet']);
      expect(
        (await store().fileList.query(ref, { startTs: 0, endTs: 100 })).map((f) => f.file),
      ).toEqual(['mine.parquet']);
      expect((await store().fileList.stats({ ...ref, name: 'other' })).fileNum).toBe(2);
    });

    it('sums stats over live files, and zeros when there are none', async () => {
      const zeros = {
        fileNum: 0,
        records: 0,
        originalSize: 0,
        compressedSize: 0,
        indexSize: 0,
        minTs: 0,
        maxTs: 0,
      };
      expect(await store().fileList.stats(ref)).toEqual(zeros);
      await store().fileList.add([
        entry('a.parquet', 1_722_506_400_000_000, 1_722_506_500_000_000, {
          records: 3,
          originalSize: 30,
          compressedSize: 3,
          indexSize: 1,
        }),
        entry('b.parquet', 1_722_506_300_000_000, 1_722_506_450_000_000, {
          records: 4,
          originalSize: 40,
          compressedSize: 4,
          indexSize: 2,
        }),
        entry('c.parquet', 1_000, 2_000, { records: 100 }),
      ]);
      await store().fileList.markDeleted(ref, [{ date: '2024/08/01/10', file: 'c.parquet' }]);
      expect(await store().fileList.stats(ref)).toEqual({
        fileNum: 2,
        records: 7,
        originalSize: 70,
        compressedSize: 7,
        indexSize: 3,
        minTs: 1_722_506_300_000_000,
        maxTs: 1_722_506_500_000_000,
      });
      await store().fileList.markDeleted(ref, [
        { date: '2024/08/01/10', file: 'a.parquet' },
        { date: '2024/08/01/10', file: 'b.parquet' },
      ]);
      expect(await store().fileList.stats(ref)).toEqual(zeros);
    });

    it('markDeleted hides files and queues them for purging, once', async () => {
      await store().fileList.add([
        entry('a.parquet', 0, 10),
        entry('b.parquet', 0, 10),
        entry('c.parquet', 0, 10),
      ]);
      clock.now = 10_000;
      await store().fileList.markDeleted(ref, [{ date: '2024/08/01/10', file: 'b.parquet' }]);
      clock.now = 20_000;
      await store().fileList.markDeleted(ref, [
        { date: '2024/08/01/10', file: 'a.parquet' },
        { date: '2024/08/01/10', file: 'b.parquet' },
        // Never registered (crash between upload and registration): still queued for purging.
        { date: '2024/08/01/10', file: 'orphan.parquet' },
      ]);
      expect((await store().fileList.query(ref)).map((f) => f.file)).toEqual(['c.parquet']);
      expect(await store().fileList.get(ref, '2024/08/01/10', 'a.parquet')).toBeUndefined();

      const key = (file: string, createdAt: number) => ({
        org: 'default',
        type: 'logs',
        stream: 'app',
        date: '2024/08/01/10',
        file,
        createdAt,
      });
      expect(await store().fileList.listDeleted(20_001, 10)).toEqual([
        key('b.parquet', 10_000),
        key('a.parquet', 20_000),
        key('orphan.parquet', 20_000),
      ]);
      expect(await store().fileList.listDeleted(20_000, 10)).toEqual([key('b.parquet', 10_000)]);
      expect(await store().fileList.listDeleted(20_001, 2)).toHaveLength(2);

      // Re-adding a deleted file does not resurrect it.
      await store().fileList.add([entry('a.parquet', 0, 10)]);
      expect((await store().fileList.query(ref)).map((f) => f.file)).toEqual(['c.parquet']);
    });

    it('purgeDeleted drops the queued rows for good', async () => {
      await store().fileList.add([entry('a.parquet', 0, 10), entry('b.parquet', 0, 10)]);
      await store().fileList.markDeleted(ref, [
        { date: '2024/08/01/10', file: 'a.parquet' },
        { date: '2024/08/01/10', file: 'b.parquet' },
      ]);
      const queued = await store().fileList.listDeleted(clock.now + 1, 10);
      await store().fileList.purgeDeleted(queued.slice(0, 1));
      expect((await store().fileList.listDeleted(clock.now + 1, 10)).map((k) => k.file)).toEqual([
        'b.parquet',
      ]);
      await store().fileList.purgeDeleted(queued);
      await store().fileList.purgeDeleted([]);
      expect(await store().fileList.listDeleted(clock.now + 1, 10)).toEqual([]);
      // Once purged, the name may be registered again (a new upload under the same key).
      await store().fileList.add([entry('a.parquet', 0, 10)]);
      expect((await store().fileList.query(ref)).map((f) => f.file)).toEqual(['a.parquet']);
    });

    it('markDeleted is all or nothing', async () => {
      const many = Array.from({ length: 300 }, (_, i) =>
        entry(`f${String(i).padStart(3, '0')}.parquet`, 0, 10),
      );
      await store().fileList.add(many);
      const files: Array<{ date: string; file: string }> = many.map((f) => ({
        date: f.date,
        file: f.file,
      }));
      // A broken key in the second statement batch: the first batch must be rolled back too.
      files[250] = { date: '2024/08/01/10', file: null as unknown as string };
      await expect(store().fileList.markDeleted(ref, files)).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      expect(await store().fileList.query(ref)).toHaveLength(300);
      expect(await store().fileList.listDeleted(clock.now + 1, 1000)).toEqual([]);
    });
  });
}
