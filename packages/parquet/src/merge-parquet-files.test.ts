import { afterAll, describe, expect, it } from 'vitest';
import type { ColumnSpec, FlatRecord } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { encodeParquet } from './encode-parquet.js';
import { mergeParquetFiles } from './merge-parquet-files.js';
import { ParquetEncoderPool } from './parquet-encoder-pool.js';
import { readParquet, readParquetMetadata } from './read-parquet.js';
import { expectSameFile } from './test-support/same-parquet-file.js';

function file(schema: ColumnSpec[], records: FlatRecord[], originalSize?: number): Uint8Array {
  const builder = new ColumnarBatchBuilder(schema);
  for (const record of records) builder.append(record);
  return encodeParquet(builder.finish(), { originalSize }).bytes;
}

describe('mergeParquetFiles', () => {
  const pool = new ParquetEncoderPool();
  afterAll(() => pool.close());

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

  // The pool's copies: a merge in the worker takes its inputs' memory away from this thread.
  const copies = (): Uint8Array[] => [first.slice(), second.slice()];
  const ways = {
    'on this thread': mergeParquetFiles,
    'in a pool worker': pool.merge,
  };

  it.each(Object.entries(ways))(
    'merges files of different schemas into one sorted file with the union schema (%s)',
    async (_, merge) => {
      const merged = await merge(copies(), [{ name: 'level', type: 'Utf8' }]);
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
    },
  );

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

  it("merges in a worker to the same file as on this thread, taking the inputs' memory", async () => {
    const schema: ColumnSpec[] = [
      { name: 'msg', type: 'Utf8' },
      { name: 'n', type: 'Int64' },
      { name: 'ok', type: 'Boolean' },
    ];
    // Three files of overlapping time ranges over several row groups: one has `n` as Float64
    // (widened in the merge), one has no `ok`.
    const files = [0, 1, 2].map((f) =>
      file(
        f === 2
          ? schema.slice(0, 2)
          : f === 1
            ? schema.map((c) => (c.name === 'n' ? { name: 'n', type: 'Float64' as const } : c))
            : schema,
        Array.from({ length: 20_000 }, (_, i) => ({
          _timestamp: 1_700_000_000_000_000 + ((i * 7919 + f * 13) % 30_000),
          msg: `file ${f} line ${i % 257}`,
          n: f === 1 ? i * 1.5 : i,
          ...(f === 2 ? {} : { ok: i % 3 === 0 }),
        })),
        1000 * (f + 1),
      ),
    );
    const options = { rowGroupSize: 8192, metadata: { origin: 'test' } };
    const direct = await mergeParquetFiles(files, [], options);
    const inputs = files.map((f) => f.slice());
    const pooled = await pool.merge(inputs, [], options);
    await expectSameFile(pooled, direct);
    expect(pooled).toMatchObject({ records: 60_000, originalSize: 6000 });
    expect((await readParquetMetadata(pooled.bytes)).rowGroups.map((g) => g.numRows)).toEqual([
      8192, 8192, 8192, 8192, 8192, 8192, 8192, 2656,
    ]);
    // Transferred, not copied: the inputs are no longer this thread's.
    expect(inputs.map((i) => i.byteLength)).toEqual([0, 0, 0]);
  });

  it('copies a view into a larger buffer instead of taking the whole buffer', async () => {
    const joined = new Uint8Array(first.byteLength + second.byteLength);
    joined.set(first);
    joined.set(second, first.byteLength);
    const views = [joined.subarray(0, first.byteLength), joined.subarray(first.byteLength)];
    const merged = await pool.merge(views);
    expect(merged.records).toBe(4);
    expect(joined.byteLength).toBe(first.byteLength + second.byteLength);
  });

  it('refuses an empty list, and a corrupt file as invalid input, on either thread', async () => {
    await expect(mergeParquetFiles([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(pool.merge([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const corrupt = (): Uint8Array[] => [first.slice(), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])];
    await expect(mergeParquetFiles(corrupt())).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(pool.merge(corrupt())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // The worker that failed is replaced; the pool goes on merging.
    expect((await pool.merge(copies())).records).toBe(4);
  });
});
