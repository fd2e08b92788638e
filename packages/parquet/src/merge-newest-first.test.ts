import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import type { ColumnSpec } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { encodeParquet, METADATA_KEYS } from './encode-parquet.js';
import { tableToIpcStream } from './ipc-stream.js';
import { mergeNewestFirst } from './merge-newest-first.js';
import { mergeParquetFiles } from './merge-parquet-files.js';
import { writeParquetFromIpc } from './parquet-writer.js';
import { readParquetRowGroups } from './read-parquet.js';

const SCHEMA: ColumnSpec[] = [
  { name: 'pod', type: 'Utf8' },
  { name: 'n', type: 'Int64' },
];
const T0 = 1_700_000_000_000_000;

/** `rows` rows of input `input`, their timestamps spread over `span` µs so inputs overlap. */
function builderOf(input: number, rows: number, span: number): ColumnarBatchBuilder {
  const builder = new ColumnarBatchBuilder(SCHEMA);
  for (let i = 0; i < rows; i++) {
    builder.append({
      _timestamp: T0 + ((i * 7919 + input * 31) % span),
      pod: `pod-${(i + input) % 5}`,
      n: input * 1_000_000 + i,
    });
  }
  return builder;
}

const rowsOf = (tables: readonly Table[]): string[] =>
  tables.flatMap((t) =>
    t
      .toArray()
      .map((r: { toJSON(): unknown }) =>
        JSON.stringify(r.toJSON(), (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)),
      ),
  );
const timestamps = (t: Table): number[] => [...t.getChild('_timestamp')!].map(Number);

describe('mergeNewestFirst', () => {
  it('writes groups newest first holding about one group per input, with every row once', async () => {
    const builders = [0, 1, 2].map((input) => builderOf(input, 1000, 2500));
    let reads = 0;
    const readsAtGroup: number[] = [];
    async function* source(builder: ColumnarBatchBuilder): AsyncGenerator<Table> {
      for (const group of builder.copyInGroups(100)) {
        reads++;
        yield await Promise.resolve(group); // as a decoder hands them over
      }
    }
    const report = { outOfOrder: false, minTs: Infinity, maxTs: -Infinity };
    const out: Table[] = [];
    for await (const group of mergeNewestFirst(
      builders.map((b) => ({ groups: source(b), newest: Infinity })),
      SCHEMA,
      256,
      true,
      report,
    )) {
      readsAtGroup.push(reads);
      out.push(group);
    }
    // 3000 rows in groups of 256, the last 184; each group no newer than the one before.
    expect(out.map((t) => t.numRows)).toEqual([...Array<number>(11).fill(256), 184]);
    for (let g = 1; g < out.length; g++) {
      expect(Math.max(...timestamps(out[g]!))).toBeLessThanOrEqual(
        Math.min(...timestamps(out[g - 1]!)),
      );
    }
    // Each output group went out with about one group per input read ahead of it (100-row input
    // groups, 256-row output groups): the first after one group of each input, not all 30.
    readsAtGroup.forEach((reads, g) => expect(reads).toBeLessThanOrEqual(3 * (g + 1)));
    const all = builders.map((b) => b.finish());
    expect(rowsOf(out).sort()).toEqual(rowsOf(all).sort());
    expect(report).toEqual({
      outOfOrder: false,
      minTs: Math.min(...all.flatMap(timestamps)),
      maxTs: Math.max(...all.flatMap(timestamps)),
    });
  });

  it('stops at an input whose groups are not newest first', async () => {
    async function* oldestFirst(): AsyncGenerator<Table> {
      const builder = builderOf(0, 300, 300);
      const groups = [...builder.copyInGroups(100)].reverse();
      for (const group of groups) yield await Promise.resolve(group);
    }
    const report = { outOfOrder: false, minTs: Infinity, maxTs: -Infinity };
    const drain = async (): Promise<void> => {
      for await (const _ of mergeNewestFirst(
        [{ groups: oldestFirst(), newest: Infinity }],
        SCHEMA,
        100,
        false,
        report,
      ));
    };
    await expect(drain()).rejects.toThrow(/newer than the one before it/);
    expect(report.outOfOrder).toBe(true);
  });
});

describe('mergeParquetFiles over files whose groups are not time slices', () => {
  it('merges them whole instead, into the same rows newest first', async () => {
    const builder = builderOf(0, 500, 500);
    // Rows oldest first, written as they are: every group newer than the one before it.
    const ascending = Uint32Array.from({ length: 500 }, (_, i) => i).sort(
      (a, b) => builder.timestampAt(a) - builder.timestampAt(b),
    );
    const table = builder.copyGroup(ascending, false);
    const stats = { minTs: builder.minTimestamp!, maxTs: builder.maxTimestamp!, records: 500 };
    const unordered = writeParquetFromIpc(
      tableToIpcStream(table, (n) => new Uint8Array(n)),
      {
        rowGroupSize: 100,
        compression: 'zstd',
        keyValueMetadata: [
          [METADATA_KEYS.minTs, String(stats.minTs)],
          [METADATA_KEYS.maxTs, String(stats.maxTs)],
          [METADATA_KEYS.records, '500'],
          [METADATA_KEYS.originalSize, '1000'],
        ],
      },
    );
    const other = encodeParquet(builderOf(1, 300, 500).finish(), { rowGroupSize: 100 }).bytes;
    const merged = await mergeParquetFiles([unordered, other], [], { rowGroupSize: 100 });
    expect(merged.records).toBe(800);
    const groups: Table[] = [];
    for await (const group of readParquetRowGroups(merged.bytes)) groups.push(group);
    const ts = groups.flatMap(timestamps);
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
    expect(rowsOf(groups).sort()).toEqual(rowsOf([table, builderOf(1, 300, 500).finish()]).sort());
  });
});
