import { describe, expect, it } from 'vitest';
import type { FileEntry, StreamRef } from '../meta-store.js';
import type { ContractContext } from './contract-context.js';

const ref: StreamRef = { org: 'default', type: 'logs', name: 'app' };
const date = '2024/08/01/10';

function entry(file: string, extra: Partial<FileEntry> = {}): FileEntry {
  return {
    org: ref.org,
    type: ref.type,
    stream: ref.name,
    date,
    file,
    minTs: 10,
    maxTs: 20,
    records: 10,
    originalSize: 1000,
    compressedSize: 100,
    indexSize: 5,
    flattened: false,
    ...extra,
  };
}

/** What the compactor needs beyond file registration: the atomic merge commit and its jobs. */
export function compactorJobsContract({ store, clock }: ContractContext): void {
  describe('fileList.replace (a compaction commit)', () => {
    it('registers the merged file and retires its inputs in one step, queueing them for purge', async () => {
      await store().fileList.add([entry('a.parquet'), entry('b.parquet'), entry('c.parquet')]);
      clock.now = 5_000;
      await store().fileList.replace(
        ref,
        [entry('m.parquet', { records: 20 })],
        [
          { date, file: 'a.parquet' },
          { date, file: 'b.parquet' },
        ],
      );
      expect((await store().fileList.query(ref)).map((f) => f.file).sort()).toEqual([
        'c.parquet',
        'm.parquet',
      ]);
      expect((await store().fileList.listDeleted(5_001, 10)).map((f) => f.file)).toEqual([
        'a.parquet',
        'b.parquet',
      ]);
      expect((await store().fileList.stats(ref)).records).toBe(30);
    });

    it('changes nothing when an input is no longer live, even past the first statement batch', async () => {
      const many = Array.from({ length: 250 }, (_, i) => entry(`f${i}.parquet`));
      await store().fileList.add(many);
      await store().fileList.markDeleted(ref, [{ date, file: 'f240.parquet' }]);
      const queuedBefore = await store().fileList.listDeleted(clock.now + 1, 1000);
      await expect(
        store().fileList.replace(
          ref,
          [entry('m.parquet')],
          many.map((f) => ({ date, file: f.file })),
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await store().fileList.query(ref)).toHaveLength(249);
      expect(await store().fileList.get(ref, date, 'm.parquet')).toBeUndefined();
      expect(await store().fileList.listDeleted(clock.now + 1, 1000)).toEqual(queuedBefore);
    });

    it('changes nothing while a deletion of the stream is pending (the merged file would outlive it)', async () => {
      await store().fileList.add([entry('a.parquet'), entry('b.parquet')]);
      await store().streamDeletions.request(ref);
      const inputs = [
        { date, file: 'a.parquet' },
        { date, file: 'b.parquet' },
      ];
      await expect(
        store().fileList.replace(ref, [entry('m.parquet')], inputs),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await store().fileList.query(ref)).map((f) => f.file)).toEqual([
        'a.parquet',
        'b.parquet',
      ]);
    });

    it('takes the merged file off the purge queue its intent was recorded in', async () => {
      await store().fileList.add([entry('a.parquet'), entry('b.parquet')]);
      // Before writing objects the compactor queues the merged key: an orphan if it dies.
      await store().fileList.markDeleted(ref, [{ date, file: 'm.parquet' }]);
      await store().fileList.replace(
        ref,
        [entry('m.parquet')],
        [
          { date, file: 'a.parquet' },
          { date, file: 'b.parquet' },
        ],
      );
      expect((await store().fileList.listDeleted(clock.now + 1, 10)).map((f) => f.file)).toEqual([
        'a.parquet',
        'b.parquet',
      ]);
      expect(await store().fileList.get(ref, date, 'm.parquet')).toBeDefined();
    });

    it('refuses a merged file of another stream', async () => {
      await expect(
        store().fileList.replace(ref, [{ ...entry('m.parquet'), stream: 'other' }], []),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });

  describe('dataDeletions', () => {
    it('records jobs, lists the pending ones oldest first, and keeps completed ones for status', async () => {
      clock.now = 1_000;
      const first = await store().dataDeletions.request(ref, 100, 200);
      expect(first).toEqual({
        ...ref,
        id: first.id,
        startTs: 100,
        endTs: 200,
        requestedAt: 1_000,
        files: 0,
      });
      const second = await store().dataDeletions.request({ ...ref, name: 'b' }, 0, 5);
      expect((await store().dataDeletions.pending(10)).map((d) => d.id)).toEqual([
        first.id,
        second.id,
      ]);
      clock.now = 2_000;
      expect(await store().dataDeletions.complete(first.id, 7)).toBe(true);
      expect(await store().dataDeletions.complete(first.id, 9)).toBe(false);
      expect(await store().dataDeletions.get('default', first.id)).toEqual({
        ...first,
        completedAt: 2_000,
        files: 7,
      });
      expect((await store().dataDeletions.pending(10)).map((d) => d.id)).toEqual([second.id]);
      // Another org never sees the job.
      expect(await store().dataDeletions.get('acme', first.id)).toBeUndefined();
      expect(await store().dataDeletions.get('default', 1.5)).toBeUndefined();
    });

    it('refuses an empty or non-integer range', async () => {
      await expect(store().dataDeletions.request(ref, 5, 5)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(store().dataDeletions.request(ref, 0.5, 5)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });
  });
}
