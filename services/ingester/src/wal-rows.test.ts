import { describe, expect, it } from 'vitest';
import type { StreamBatch } from './ingest-pipeline.js';
import { decodeWalEntry, encodeWalEntry } from './wal-entry.js';
import type { WalEntryHeader } from './wal-entry.js';
import { decodeRows, encodeRows } from './wal-rows.js';

const header: WalEntryHeader = {
  v: 2,
  org: 'default',
  streamType: 'logs',
  stream: 'src',
  format: 'json',
  now: 1,
  skip: [],
};

const batch = (stream: string, records: StreamBatch['records']): StreamBatch => ({
  key: { org: 'default', type: 'logs', stream },
  records,
  ts: records.map((r) => r['_timestamp'] as number),
  docIndexes: records.map((_, i) => i),
});

describe('WAL rows entries (pipeline output)', () => {
  it('give back the same rows per stream, bigints included, through a whole WAL entry', () => {
    const batches = new Map([
      ['a', batch('a', [{ _timestamp: 10, msg: 'x', big: 18446744073709551615n, ok: true }])],
      [
        'b',
        batch('b', [
          { _timestamp: 20, msg: 'y' },
          { _timestamp: 30, msg: 'z', n: 1.5 },
        ]),
      ],
      ['empty', batch('empty', [])],
    ]);
    const entry = encodeWalEntry(header, encodeRows(batches));
    const joined = new Uint8Array(entry.reduce((n, part) => n + part.byteLength, 0));
    let at = 0;
    for (const part of entry) {
      joined.set(part, at);
      at += part.byteLength;
    }
    const read = decodeWalEntry(joined);
    expect(read.header.v).toBe(2);
    const decoded = decodeRows(read.header, read.body);
    expect([...decoded.batches.keys()]).toEqual(['a', 'b']);
    expect(decoded.batches.get('a')?.records).toEqual([
      { _timestamp: 10, msg: 'x', big: 18446744073709551615n, ok: true },
    ]);
    expect(decoded.batches.get('b')).toMatchObject({
      key: { org: 'default', type: 'logs', stream: 'b' },
      ts: [20, 30],
      docIndexes: [1, 2],
    });
    expect(decoded.outcomes).toHaveLength(3);
  });

  it('are refused by the version check only above 3 (the newest version)', () => {
    const entry = encodeWalEntry({ ...header, v: 4 as 3 }, new Uint8Array());
    const joined = new Uint8Array([...entry[0]!, ...entry[1]!]);
    expect(() => decodeWalEntry(joined)).toThrow('unknown WAL entry version 4');
  });
});
