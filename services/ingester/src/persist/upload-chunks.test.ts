import { describe, expect, it } from 'vitest';
import type { LocalFile } from './local-files.js';
import { uploadChunks } from './upload-chunks.js';

/** A local file of `compressed` bytes on disk and `decoded` Arrow bytes. */
function file(name: string, compressed: number, decoded: number): LocalFile {
  return {
    path: `/files/0-1/${name}.parquet`,
    commitDir: '/files/0-1',
    meta: {
      org: 'default',
      type: 'logs',
      stream: 'web',
      date: '2026/12/06/13',
      partitionDirs: '',
      records: 1,
      minTs: 0,
      maxTs: 0,
      originalSize: decoded,
      compressedSize: compressed,
      schema: [],
    },
  };
}

const names = (chunks: LocalFile[][]) =>
  chunks.map((c) => c.map((f) => f.path.slice('/files/0-1/'.length, -'.parquet'.length)));

describe('uploadChunks', () => {
  // Logs compress ~50×: 5 files of 2 MB each decode to 100 MB.
  const files = ['a', 'b', 'c', 'd', 'e'].map((n) => file(n, 2, 100));

  it('bounds a merge by compressed size alone without a decoded limit', () => {
    expect(names(uploadChunks(files, { maxFileBytes: 1000 }))).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(names(uploadChunks(files, { maxFileBytes: 5 }))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ]);
  });

  it('bounds a merge by the Arrow bytes it decodes', () => {
    expect(names(uploadChunks(files, { maxFileBytes: 1000, maxMergeBytes: 250 }))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ]);
  });

  it('uploads a file past either limit on its own, and merges small ones up to the limit', () => {
    const mixed = [file('big', 2, 400), file('s1', 1, 30), file('s2', 1, 30), file('s3', 1, 30)];
    expect(names(uploadChunks(mixed, { maxFileBytes: 1000, maxMergeBytes: 64 }))).toEqual([
      ['big'],
      ['s1', 's2'],
      ['s3'],
    ]);
  });
});
