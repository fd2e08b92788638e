import type { FileEntry } from '@o2/metastore';
import { describe, expect, it } from 'vitest';
import { OwnUploads } from './own-uploads.js';

const web = { org: 'default', type: 'logs' as const, stream: 'web' };
const entry = (file: string): FileEntry => ({
  ...web,
  date: '2026/12/06/17',
  file,
  minTs: 1,
  maxTs: 2,
  records: 3,
  originalSize: 10,
  compressedSize: 5,
  indexSize: 0,
  flattened: false,
});

describe('OwnUploads', () => {
  it('cannot tell while a registration is under way or a crash left one unknown', () => {
    let now = 1_000;
    const own = new OwnUploads(60_000, () => now);
    expect(own.of(web)).toEqual({ uploads: [], coversMs: 0, now: 1_000 });
    // It may have committed before a leader's read while its answer is not here yet.
    own.registering('k1', entry('a.parquet'));
    expect(own.of(web)).toBeUndefined();
    expect(own.of({ ...web, stream: 'other' })).toBeDefined();
    own.registered('k1', entry('a.parquet'), ['/wal/a']);
    now += 5_000;
    expect(own.of(web)).toEqual({
      uploads: [{ entry: entry('a.parquet'), sources: ['/wal/a'], registeredAt: 1_000 }],
      coversMs: 5_000,
      now: 6_000,
    });
    own.recovered('k2', entry('b.parquet'));
    expect(own.of(web)).toBeUndefined();
    own.notRegistered('k2');
    expect(own.of(web)?.uploads).toHaveLength(1);
  });

  it('names an upload for its window after its sources are gone, and no quarantined one', () => {
    let now = 1_000;
    const own = new OwnUploads(60_000, () => now);
    own.registered('k1', entry('a.parquet'), ['/wal/a']);
    own.registered('k2', entry('b.parquet'), ['/wal/b']);
    own.done('k1');
    now += 60_000;
    expect(own.of(web)?.uploads.map((u) => u.entry.file)).toEqual(['a.parquet', 'b.parquet']);
    expect(own.of(web)?.coversMs).toBe(60_000);
    now += 1;
    expect(own.of(web)?.uploads.map((u) => u.entry.file)).toEqual(['b.parquet']);
    own.forget('k2');
    expect(own.of(web)?.uploads).toEqual([]);
  });
});
