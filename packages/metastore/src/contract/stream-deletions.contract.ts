import { describe, expect, it } from 'vitest';
import type { FileEntry, StreamRef } from '../meta-store.js';
import type { ContractContext } from './contract-context.js';

const app: StreamRef = { org: 'default', type: 'logs', name: 'app' };
const other: StreamRef = { org: 'default', type: 'logs', name: 'other' };

function entry(ref: StreamRef, file: string): FileEntry {
  return {
    org: ref.org,
    type: ref.type,
    stream: ref.name,
    date: '2024/08/01/10',
    file,
    minTs: 100,
    maxTs: 200,
    records: 10,
    originalSize: 1000,
    compressedSize: 100,
    indexSize: 5,
    flattened: false,
  };
}

export function streamDeletionsContract({ store, clock }: ContractContext): void {
  describe('streamDeletions', () => {
    it('records a request with the file_list high-water mark, and lists it until completed', async () => {
      expect(await store().streamDeletions.request(app)).toEqual({
        ...app,
        requestedAt: clock.now,
        lastFileId: 0,
      });
      await store().fileList.add([entry(app, 'a.parquet'), entry(other, 'o.parquet')]);
      const highest = Math.max(
        ...[...(await store().fileList.query(app)), ...(await store().fileList.query(other))].map(
          (f) => f.id,
        ),
      );
      const metrics: StreamRef = { org: 'default', type: 'metrics', name: 'up' };
      clock.now += 5;
      const deletion = await store().streamDeletions.request(metrics);
      expect(deletion).toEqual({ ...metrics, requestedAt: clock.now, lastFileId: highest });
      expect(await store().streamDeletions.get(metrics)).toEqual(deletion);
      expect(await store().streamDeletions.get(other)).toBeUndefined();
      expect((await store().streamDeletions.list('default')).map((d) => d.type)).toEqual([
        'logs',
        'metrics',
      ]);
      expect(await store().streamDeletions.list('acme')).toEqual([]);

      expect(await store().streamDeletions.complete(deletion)).toBe(true);
      expect(await store().streamDeletions.get(metrics)).toBeUndefined();
      expect(await store().streamDeletions.complete(deletion)).toBe(false);
    });

    it('renews a repeated request forward, and completing the old one leaves it pending', async () => {
      const first = await store().streamDeletions.request(app);
      await store().fileList.add([entry(app, 'late.parquet')]);
      clock.now += 1_000;
      const renewed = await store().streamDeletions.request(app);
      expect(renewed.requestedAt).toBe(clock.now);
      expect(renewed.lastFileId).toBeGreaterThan(first.lastFileId);
      expect(await store().streamDeletions.complete(first)).toBe(false);
      expect(await store().streamDeletions.get(app)).toEqual(renewed);
      // A request never moves backwards, even with a clock that does.
      clock.now -= 60_000;
      expect(await store().streamDeletions.request(app)).toEqual(renewed);
      expect(await store().streamDeletions.complete(renewed)).toBe(true);
    });

    it('hands pending deletions to the compactor oldest first, across orgs, up to the limit', async () => {
      const refs: StreamRef[] = [
        { org: 'zeta', type: 'logs', name: 'a' },
        { org: 'alpha', type: 'traces', name: 'b' },
        { org: 'default', type: 'logs', name: 'c' },
      ];
      for (const ref of refs) {
        await store().streamDeletions.request(ref);
        clock.now += 10;
      }
      expect((await store().streamDeletions.pending(10)).map((d) => d.org)).toEqual([
        'zeta',
        'alpha',
        'default',
      ]);
      expect((await store().streamDeletions.pending(2)).map((d) => d.name)).toEqual(['a', 'b']);
      expect(await store().streamDeletions.pending(0)).toEqual([]);
    });

    it("marks a stream's files up to the mark deleted, once, and lists them for removal", async () => {
      await store().fileList.add([entry(app, 'a.parquet'), entry(app, 'b.parquet')]);
      await store().fileList.add([entry(other, 'o.parquet')]);
      const { lastFileId } = await store().streamDeletions.request(app);
      await store().fileList.add([entry(app, 'after.parquet')]);

      expect(await store().fileList.markDeletedUpTo(app, lastFileId)).toBe(2);
      expect(await store().fileList.markDeletedUpTo(app, lastFileId)).toBe(0);
      expect((await store().fileList.query(app)).map((f) => f.file)).toEqual(['after.parquet']);
      expect((await store().fileList.query(other)).map((f) => f.file)).toEqual(['o.parquet']);
      const marked = await store().fileList.listDeletedUpTo(app, lastFileId, 10);
      expect(marked).toEqual([
        { org: 'default', type: 'logs', stream: 'app', date: '2024/08/01/10', file: 'a.parquet' },
        { org: 'default', type: 'logs', stream: 'app', date: '2024/08/01/10', file: 'b.parquet' },
      ]);
      // Not queued for the delayed purge: the stream deletion owns them.
      expect(await store().fileList.listDeleted(clock.now + 1, 10)).toEqual([]);
      expect(await store().fileList.listDeletedUpTo(app, lastFileId, 1)).toEqual([marked[0]]);

      await store().fileList.purgeDeleted(marked);
      expect(await store().fileList.listDeletedUpTo(app, lastFileId, 10)).toEqual([]);
      expect(await store().fileList.listDeleted(clock.now + 1, 10)).toEqual([]);
      expect((await store().fileList.query(app)).map((f) => f.file)).toEqual(['after.parquet']);
      await expect(store().fileList.markDeletedUpTo(app, 1.5)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });
  });
}
