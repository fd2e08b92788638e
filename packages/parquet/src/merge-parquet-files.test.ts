import { describe, expect, it } from 'vitest';
import type { ColumnSpec, FlatRecord } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { encodeParquet } from './encode-parquet.js';
import { mergeParquetFiles } from './merge-parquet-files.js';
import { ParquetEncoderPool } from './parquet-encoder-pool.js';
import { readParquet, readParquetMetadata } from './read-parquet.js';

function file(schema: ColumnSpec[], records: FlatRecord[], originalSize?: number): Uint8Array {
  const builder = new ColumnarBatchBuilder(schema);
  for (const record of records) builder.append(record);
  return encodeParquet(builder.finish(), { originalSize }).bytes;
}

describe('mergeParquetFiles', () => {
  const first = file(
    [
      { name: 'log', type: 'Utf8' },
      { name: 'code', type: 'Int64' },
    ],
    [
      { _timestamp: 10, log: 'a', code: 200 },
      { _timestamp: 30, log: 'c', code: 500 },
    ],
    100,
  );
  const second = file(
    [
      { name: 'log', type: 'Utf8' },
      { name: 'code', type: 'Float64' },
      { name: 'pod', type: 'Utf8' },
    ],
    [
      { _timestamp: 20, log: 'b', code: 1.5, pod: 'p1' },
      { _timestamp: 40, pod: 'p2' },
    ],
    50,
  );

  it('merges files of different schemas into one sorted file with the union schema', async () => {
    const merged = await mergeParquetFiles([first, second], [{ name: 'level', type: 'Utf8' }]);
    expect(merged).toMatchObject({ minTs: 10, maxTs: 40, records: 4, originalSize: 150 });
    const table = await readParquet(merged.bytes);
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      '_timestamp:Int64',
      'level:Utf8',
      'log:Utf8',
      'code:Float64',
      'pod:Utf8',
    ]);
    expect(table.toArray().map((r: { toJSON(): unknown }) => r.toJSON())).toEqual([
      { _timestamp: 40n, level: null, log: null, code: null, pod: 'p2' },
      { _timestamp: 30n, level: null, log: 'c', code: 500, pod: null },
      { _timestamp: 20n, level: null, log: 'b', code: 1.5, pod: 'p1' },
      { _timestamp: 10n, level: null, log: 'a', code: 200, pod: null },
    ]);
    const meta = await readParquetMetadata(merged.bytes);
    expect(meta.stats).toEqual({ minTs: 10, maxTs: 40, records: 4, originalSize: 150 });
  });

  it('widens a column to Utf8 when the given schema says so, and can encode through a pool', async () => {
    const pool = new ParquetEncoderPool();
    try {
      const merged = await mergeParquetFiles([first, second], [{ name: 'code', type: 'Utf8' }], {
        encode: pool.encode,
      });
      const table = await readParquet(merged.bytes, { columns: ['_timestamp', 'code'] });
      expect([...table.getChild('code')!]).toEqual([null, '500', '1.5', '200']);
    } finally {
      await pool.close();
    }
  });

  it('refuses an empty list', async () => {
    await expect(mergeParquetFiles([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
