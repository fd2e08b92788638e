import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import type { ColumnSpec } from './column-spec.js';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { encodeParquet, encodeParquetGroups, encodeParquetStreaming } from './encode-parquet.js';
import { mergeParquetFiles } from './merge-parquet-files.js';
import { tableToIpcStreams } from './ipc-stream.js';
import {
  readParquet,
  readParquetMetadata,
  readParquetRowGroups,
  wasmInstance,
} from './read-parquet.js';
import { expectSameFile } from './test-support/same-parquet-file.js';

const BASE_TS = 1_755_780_000_000_000;

const LOG_SCHEMA: ColumnSpec[] = [
  { name: 'log', type: 'Utf8' },
  { name: 'namespace', type: 'Utf8' },
  { name: 'code', type: 'Int64' },
  { name: 'took', type: 'Float64' },
  { name: 'ok', type: 'Boolean' },
];

/** k8s-like rows: a long nearly unique text, low-cardinality texts, numbers, nulls. */
function logTable(rows: number): Table {
  const builder = new ColumnarBatchBuilder(LOG_SCHEMA, { initialRows: rows });
  for (let i = 0; i < rows; i++) {
    builder.append({
      _timestamp: BASE_TS + i * 1000 + (i % 7),
      log: `GET /api/v1/items/${i} took ${(i * 7919) % 1000} ms user=${(i * 31) % 5000} ${'x'.repeat(i % 90)}`,
      namespace: `ns-${i % 5}`,
      code: i % 13 === 0 ? 500 : 200,
      took: i % 4 === 0 ? null : (i % 1000) / 7,
      ok: i % 3 === 0 ? null : i % 2 === 0,
    });
  }
  return builder.finish({ clusterGroupRows: 4096 });
}

describe('one row group at a time', () => {
  it('keeps wasm memory near one row group where the whole-table encode holds the table twice', async () => {
    // ~28 MB of Arrow IPC in 4 Ki-row groups of ~0.5 MB (~7 MiB of wasm memory when written
    // that way, ~60 MiB in one piece). Test files share a worker's modules (vitest `isolate:
    // false`), so the thread's instance may have grown already: it is dropped first.
    wasmInstance.releaseWhenIdle(0, 1);
    for (let waited = 0; wasmInstance.bytes() > 0; waited += 5) {
      // A release already armed by a large read (1 s quiet) may be the one that ends it.
      if (waited > 5000) throw new Error('the wasm instance was not released');
      await new Promise((r) => setTimeout(r, 5));
    }
    const table = logTable(220_000);
    const options = { rowGroupSize: 4096 };
    const ipcBytes = tableToIpcStreams(table, undefined, (n) => new Uint8Array(n)).ipc.byteLength;
    expect(ipcBytes).toBeGreaterThan(25 * 1024 ** 2);
    const streamed = await encodeParquetStreaming(table, options);
    const afterStreaming = wasmInstance.bytes();
    expect(afterStreaming).toBeLessThan(16 * 1024 ** 2);
    const whole = encodeParquet(table, options);
    expect(wasmInstance.bytes()).toBeGreaterThan(2 * ipcBytes);
    await expectSameFile(streamed, whole);
  });

  it('serialises a table as one IPC stream per run of rows, each readable on its own', () => {
    const table = logTable(10_000);
    const { ipc, streamEnds } = tableToIpcStreams(table, 4096, (n) => new Uint8Array(n));
    expect(streamEnds).toHaveLength(3);
    expect(streamEnds.at(-1)).toBe(ipc.byteLength);
    const parts = streamEnds.map((end, i) =>
      tableFromIPC(ipc.subarray(i === 0 ? 0 : streamEnds[i - 1], end)),
    );
    expect(parts.map((p) => p.numRows)).toEqual([4096, 4096, 1808]);
    const joined = parts.slice(1).reduce((all, p) => all.concat(p), parts[0]!);
    expect(joined.toArray().map(String)).toEqual(table.toArray().map(String));
  });

  it('writes the same file as the whole-table encode', async () => {
    const table = logTable(10_000);
    const options = { rowGroupSize: 4096, metadata: { k: 'v' } };
    const streamed = await encodeParquetStreaming(table, options);
    await expectSameFile(streamed, encodeParquet(table, options));
    expect((await readParquetMetadata(streamed.bytes)).rowGroups.map((g) => g.numRows)).toEqual([
      4096, 4096, 1808,
    ]);
  });

  it('decodes a file one row group at a time, in file order', async () => {
    const table = logTable(10_000);
    const encoded = encodeParquet(table, { rowGroupSize: 4096 });
    const groups: Table[] = [];
    for await (const group of readParquetRowGroups(encoded.bytes)) groups.push(group);
    expect(groups.map((g) => g.numRows)).toEqual([4096, 4096, 1808]);
    const joined = groups.slice(1).reduce((all, g) => all.concat(g), groups[0]!);
    const whole = await readParquet(encoded.bytes);
    expect(joined.toArray().map(String)).toEqual(whole.toArray().map(String));
    const corrupt = async () => {
      for await (const group of readParquetRowGroups(new Uint8Array([1, 2, 3, 4]))) void group;
    };
    await expect(corrupt()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('a merge written from its builder a row group at a time', () => {
  /** `logTable`'s rows appended out of time order, as a merge's inputs arrive. */
  function shuffledBuilder(rows: number): ColumnarBatchBuilder {
    const table = logTable(rows);
    const builder = new ColumnarBatchBuilder(LOG_SCHEMA);
    // Second half first: neither ascending nor descending.
    builder.appendTable(table.slice(rows / 2));
    builder.appendTable(table.slice(0, rows / 2));
    return builder;
  }

  it('copies the rows out in the order finish gives, a group at a time, keeping them', () => {
    const builder = shuffledBuilder(10_000);
    const groups = [...builder.copyInGroups(4096, { clusterGroupRows: 4096 })];
    expect(groups.map((g) => g.numRows)).toEqual([4096, 4096, 1808]);
    expect(builder.length).toBe(10_000);
    const whole = builder.finish({ clusterGroupRows: 4096 });
    const joined = groups.slice(1).reduce((all, g) => all.concat(g), groups[0]!);
    expect(joined.toArray().map(String)).toEqual(whole.toArray().map(String));
  });

  it('writes the same file as encoding the finished table', async () => {
    const files = [0, 1, 2].map(
      (i) =>
        encodeParquet(logTable(6000).slice(i * 2000, i * 2000 + 2000), { rowGroupSize: 1024 })
          .bytes,
    );
    const options = { rowGroupSize: 1024, cluster: true, metadata: { k: 'v' } };
    const grouped = await mergeParquetFiles(
      files.map((f) => f.slice()),
      [],
      options,
    );
    const whole = await mergeParquetFiles(files, [], { ...options, encode: encodeParquet });
    await expectSameFile(grouped, whole);
  });

  it('refuses groups that are not whole row groups, and a row count the stats do not hold', async () => {
    const table = logTable(3000);
    const stats = { minTs: BASE_TS, maxTs: BASE_TS + 3_000_000, records: 3000, originalSize: 1 };
    const options = { rowGroupSize: 1024 };
    await expect(
      encodeParquetGroups([table.slice(0, 1000), table.slice(1000)], stats, options),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(encodeParquetGroups([table.slice(0, 1024)], stats, options)).rejects.toMatchObject(
      { code: 'INVALID_ARGUMENT' },
    );
  });
});
