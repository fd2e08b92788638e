import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import type { ColumnSpec, FlatRecord } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { DEFAULT_ROW_GROUP_SIZE, encodeParquet } from './encode-parquet.js';
import { readParquet, readParquetMetadata } from './read-parquet.js';

const SCHEMA: ColumnSpec[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'log', type: 'Utf8' },
  { name: 'code', type: 'Int64' },
  { name: 'bytes', type: 'UInt64' },
  { name: 'ratio', type: 'Float64' },
  { name: 'ok', type: 'Boolean' },
];

const BASE_TS = 1_755_780_000_123_456;

const RECORDS: FlatRecord[] = [
  { _timestamp: BASE_TS + 5, log: 'plain ascii', code: 200, bytes: 1, ratio: 0.5, ok: true },
  { _timestamp: BASE_TS + 9, log: '', code: -1, ratio: Number.NaN },
  {
    _timestamp: BASE_TS + 1,
    log: 'ünïcødé — 日本語 — emoji 🚀🔥',
    bytes: 18446744073709551615n,
    ok: false,
  },
  { _timestamp: BASE_TS + 7 },
  { _timestamp: BASE_TS + 3, log: 'x'.repeat(5000), code: 2n ** 62n, ratio: -0, ok: true },
];

function build(records: readonly FlatRecord[], schema = SCHEMA): Table {
  const builder = new ColumnarBatchBuilder(schema);
  for (const record of records) builder.append(record);
  return builder.finish();
}

function rows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
}

describe('encodeParquet / readParquet', () => {
  it('round-trips every type, nulls, unicode and empty strings, sorted by _timestamp desc', async () => {
    const table = build(RECORDS);
    const encoded = encodeParquet(table);
    const read = await readParquet(encoded.bytes);
    expect(rows(read)).toEqual(rows(table));
    expect([...read.getChild('_timestamp')!]).toEqual(
      [9, 7, 5, 3, 1].map((d) => BigInt(BASE_TS + d)),
    );
    expect(read.getChild('log')!.get(4)).toBe('ünïcødé — 日本語 — emoji 🚀🔥');
    expect(read.getChild('log')!.get(0)).toBe('');
    expect(read.getChild('log')!.get(1)).toBeNull();
    expect(encoded).toMatchObject({
      minTs: BASE_TS + 1,
      maxTs: BASE_TS + 9,
      records: 5,
      compressedSize: encoded.bytes.byteLength,
    });
    expect(encoded.originalSize).toBeGreaterThan(5000);
  });

  it('writes zstd, statistics-bearing row groups and the file_list stats in the footer', async () => {
    const encoded = encodeParquet(build(RECORDS), { metadata: { stream: 'default' } });
    const meta = await readParquetMetadata(encoded.bytes);
    expect(meta.numRows).toBe(5);
    expect(meta.rowGroups).toHaveLength(1);
    for (const column of meta.rowGroups[0]!.columns) expect(column.compression).toBe('ZSTD');
    expect(meta.rowGroups[0]!.columns.map((c) => c.path)).toEqual(SCHEMA.map((c) => c.name));
    // Sorted, nearly unique timestamps: delta-encoded rather than dictionary-encoded.
    expect(meta.rowGroups[0]!.columns[0]!.encodings).toContain('DELTA_BINARY_PACKED');
    expect(meta.rowGroups[0]!.columns[0]!.encodings).not.toContain('RLE_DICTIONARY');
    expect(meta.keyValueMetadata).toMatchObject({
      stream: 'default',
      min_ts: String(BASE_TS + 1),
      max_ts: String(BASE_TS + 9),
      records: '5',
    });
    expect(meta.stats).toEqual({
      minTs: encoded.minTs,
      maxTs: encoded.maxTs,
      records: 5,
      originalSize: encoded.originalSize,
    });
    expect(meta.schema.fields.map((f) => f.name)).toEqual(SCHEMA.map((c) => c.name));
  });

  it('honours another codec and an explicit original size', async () => {
    const encoded = encodeParquet(build(RECORDS), { compression: 'snappy', originalSize: 1234 });
    const meta = await readParquetMetadata(encoded.bytes);
    expect(meta.rowGroups[0]!.columns[0]!.compression).toBe('SNAPPY');
    expect(encoded.originalSize).toBe(1234);
    expect(meta.keyValueMetadata.original_size).toBe('1234');
  });

  it('splits more than 128 Ki rows into row groups of at most 128 Ki', async () => {
    const builder = new ColumnarBatchBuilder(
      [
        { name: 'level', type: 'Utf8' },
        { name: 'n', type: 'Int64' },
      ],
      { initialRows: 135_000 },
    );
    for (let i = 0; i < 135_000; i++) {
      builder.append({ _timestamp: BASE_TS + i, level: i % 10 === 0 ? 'error' : 'info', n: i });
    }
    const encoded = encodeParquet(builder.finish());
    const meta = await readParquetMetadata(encoded.bytes);
    expect(meta.numRows).toBe(135_000);
    const full = Math.floor(135_000 / DEFAULT_ROW_GROUP_SIZE);
    expect(meta.rowGroups.map((g) => g.numRows)).toEqual([
      ...Array<number>(full).fill(DEFAULT_ROW_GROUP_SIZE),
      135_000 - full * DEFAULT_ROW_GROUP_SIZE,
    ]);
    expect(encoded).toMatchObject({ minTs: BASE_TS, maxTs: BASE_TS + 134_999, records: 135_000 });

    const projected = await readParquet(encoded.bytes, { columns: ['n'] });
    expect(projected.schema.fields.map((f) => f.name)).toEqual(['n']);
    expect(projected.numRows).toBe(135_000);
    expect(projected.getChild('n')!.get(0)).toBe(134_999n);
    expect(projected.getChild('n')!.get(134_999)).toBe(0n);
  });

  it('uses a smaller row group size when asked', async () => {
    const records = Array.from({ length: 10 }, (_, i) => ({ _timestamp: i, log: `r${i}` }));
    const meta = await readParquetMetadata(
      encodeParquet(build(records), { rowGroupSize: 4 }).bytes,
    );
    expect(meta.rowGroups.map((g) => g.numRows)).toEqual([4, 4, 2]);
  });

  it('puts row groups in _timestamp desc order when they are not', async () => {
    // Two single-row tables concatenated in ascending order: 1 then 2, in groups of one row.
    const both = build([{ _timestamp: 1, log: 'a' }]).concat(build([{ _timestamp: 2, log: 'b' }]));
    const encoded = encodeParquet(both, { rowGroupSize: 1 });
    expect(encoded).toMatchObject({ minTs: 1, maxTs: 2, records: 2 });
    const read = await readParquet(encoded.bytes);
    expect([...read.getChild('log')!]).toEqual(['b', 'a']);
    // Within one row group the order is the writer's choice (clusters): kept as given.
    const oneGroup = await readParquet(encodeParquet(both).bytes);
    expect([...oneGroup.getChild('log')!]).toEqual(['a', 'b']);
  });

  it('refuses an empty table and bytes that are not Parquet', async () => {
    expect(() => encodeParquet(new ColumnarBatchBuilder(SCHEMA).finish())).toThrow(/empty/);
    await expect(readParquet(new Uint8Array([1, 2, 3, 4]))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      readParquetMetadata(new TextEncoder().encode('not parquet at all')),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
