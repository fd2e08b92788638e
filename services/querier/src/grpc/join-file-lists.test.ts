import { describe, expect, it } from 'vitest';
import { fileEntry as entry, storedFileEntry as stored } from '../test-support/file-entries.js';
import { joinFileLists } from './join-file-lists.js';

const names = (files: readonly { file: string }[]) => files.map((f) => f.file).sort();

describe('joinFileLists', () => {
  it('is the querier read when no ingester saw anything newer', () => {
    const joined = joinFileLists(
      [stored('a.parquet')],
      [{ registered: [entry('a.parquet')] }, { registered: [] }],
    );
    expect(names(joined.files)).toEqual(['a.parquet']);
    expect(joined).toMatchObject({ joined: false, consistent: true });
  });

  it('adds a file every ingester saw registered after the querier read', () => {
    const joined = joinFileLists(
      [stored('a.parquet')],
      [
        { registered: [entry('a.parquet'), entry('b.parquet')] },
        { registered: [entry('b.parquet')] },
      ],
    );
    expect(names(joined.files)).toEqual(['a.parquet', 'b.parquet']);
    expect(joined).toMatchObject({ joined: true, consistent: true });
  });

  // Ingester 1 answered with the rows still in memory; ingester 2, asked a moment later, read
  // file_list after ingester 1 had uploaded them: adding b would count those rows twice.
  it('is not consistent when an ingester lacks a file another saw registered', () => {
    const joined = joinFileLists(
      [stored('a.parquet')],
      [{ registered: [entry('a.parquet')] }, { registered: [entry('b.parquet')] }],
    );
    expect(joined.consistent).toBe(false);
  });

  // Ingester 1 uploaded b after the querier read and answers with it instead of the rows; the
  // others, answering with their own uploads only, never name it.
  it('adds a file its uploader named without the other ingesters, and needs no second read', () => {
    const joined = joinFileLists(
      [stored('a.parquet')],
      [
        { registered: [entry('b.parquet')], ownUploads: true },
        { registered: [], ownUploads: true },
      ],
    );
    expect(names(joined.files)).toEqual(['a.parquet', 'b.parquet']);
    expect(joined).toMatchObject({ joined: true, consistent: true });
    expect([...joined.owned]).toEqual([`${entry('b.parquet').date}/b.parquet`]);
    // Found no longer live after an earlier read: this read holds its replacement.
    const later = joinFileLists(
      [stored('a.parquet')],
      [{ registered: [entry('b.parquet')], ownUploads: true }],
      new Set(joined.owned),
    );
    expect(names(later.files)).toEqual(['a.parquet']);
    expect(later.joined).toBe(false);
  });

  // Beside an own-uploads answer, a file only a file_list reader saw may be the other's upload,
  // answered with the rows: neither adding nor dropping it is safe.
  it('is not consistent when only a file_list reader saw a file an own-uploads answer lacks', () => {
    const joined = joinFileLists(
      [],
      [{ registered: [entry('b.parquet')] }, { registered: [], ownUploads: true }],
    );
    expect(joined).toMatchObject({ joined: true, consistent: false });
  });

  it('needs no agreement with one ingester', () => {
    const joined = joinFileLists([], [{ registered: [entry('b.parquet')] }]);
    expect(joined).toMatchObject({ joined: true, consistent: true });
  });
});
