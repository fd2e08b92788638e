import { describe, expect, it } from 'vitest';
import { storedFileEntry as entry } from './test-support/file-entries.js';
import { addedFiles, isFilesMoved } from './late-share.js';

describe('addedFiles', () => {
  it('names the files the settled snapshot holds beyond the first read', () => {
    const listed = [entry('a.parquet'), entry('b.parquet')];
    const settled = [entry('b.parquet'), entry('c.parquet'), entry('a.parquet')];
    expect(addedFiles(listed, settled).map((f) => f.file)).toEqual(['c.parquet']);
    expect(addedFiles(listed, listed)).toEqual([]);
  });

  it('asks for a rerun when a file of the first read is gone (a compaction replaced it)', () => {
    const listed = [entry('a.parquet'), entry('b.parquet')];
    let thrown: unknown;
    try {
      addedFiles(listed, [entry('merged.parquet'), entry('b.parquet')]);
    } catch (error) {
      thrown = error;
    }
    expect(isFilesMoved(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'UNAVAILABLE' });
    expect(isFilesMoved(new Error('other'))).toBe(false);
  });
});
