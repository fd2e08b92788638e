import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ColumnarBatchBuilder } from './columnar-batch-builder.js';
import { encodeParquet } from './encode-parquet.js';
import type { EncodedParquet } from './encode-parquet.js';

/** A real engine reading our files: what queriers will do with every file we write. */
describe('DuckDB reads our Parquet', () => {
  let dir: string;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  let path: string;
  let encoded: EncodedParquet;
  const base = 1_755_780_000_123_456;
  const rows = 3000;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'o2ts-parquet-'));
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    db = await instance.connect();
    const builder = new ColumnarBatchBuilder([
      { name: 'log', type: 'Utf8' },
      { name: 'code', type: 'Int64' },
      { name: 'bytes', type: 'UInt64' },
      { name: 'ratio', type: 'Float64' },
      { name: 'ok', type: 'Boolean' },
    ]);
    for (let i = 0; i < rows; i++) {
      builder.append({
        _timestamp: base + ((i * 7919) % rows) * 1000,
        log: i % 3 === 0 ? `error — 日本語 ${i}` : i % 3 === 1 ? '' : undefined,
        code: i % 5 === 0 ? null : 200 + (i % 4),
        bytes: 2n ** 60n + BigInt(i),
        ratio: i / 7,
        ok: i % 2 === 0,
      });
    }
    encoded = encodeParquet(builder.finish(), { rowGroupSize: 1000 });
    path = join(dir, 'file.parquet');
    await writeFile(path, encoded.bytes);
  });

  afterAll(async () => {
    db?.closeSync();
    instance?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  async function query(sql: string): Promise<Record<string, unknown>[]> {
    return (await db.runAndReadAll(sql)).getRowObjectsJS();
  }

  it('counts rows and sees the same min/max _timestamp we recorded', async () => {
    const [row] = await query(
      `SELECT count(*) AS n, min(_timestamp) AS lo, max(_timestamp) AS hi FROM read_parquet('${path}')`,
    );
    expect(row).toEqual({ n: BigInt(rows), lo: BigInt(encoded.minTs), hi: BigInt(encoded.maxTs) });
    expect(encoded.minTs).toBe(base);
    expect(encoded.maxTs).toBe(base + (rows - 1) * 1000);
  });

  it('reads strings, nulls and every numeric type back', async () => {
    const got = await query(
      `SELECT log, code, bytes, ratio, ok FROM read_parquet('${path}') WHERE _timestamp = ${base + 3 * 1000}`,
    );
    // Row with timestamp offset 3 was appended at i where (i * 7919) % 3000 === 3.
    const i = [...Array(rows).keys()].find((k) => (k * 7919) % rows === 3)!;
    expect(got).toEqual([
      {
        log: i % 3 === 0 ? `error — 日本語 ${i}` : i % 3 === 1 ? '' : null,
        code: i % 5 === 0 ? null : BigInt(200 + (i % 4)),
        bytes: 2n ** 60n + BigInt(i),
        ratio: i / 7,
        ok: i % 2 === 0,
      },
    ]);
    const [counts] = await query(
      `SELECT count(*) FILTER (WHERE log LIKE 'error — 日本語 %') AS errors,
              count(*) FILTER (WHERE log = '') AS empty,
              count(*) FILTER (WHERE log IS NULL) AS missing
       FROM read_parquet('${path}')`,
    );
    expect(counts).toEqual({ errors: 1000n, empty: 1000n, missing: 1000n });
  });

  it('finds the rows in _timestamp desc order, zstd row groups and our footer metadata', async () => {
    const ordered = await query(
      `SELECT bool_and(_timestamp > next) AS desc FROM (
         SELECT _timestamp, lead(_timestamp) OVER (ORDER BY file_row_number) AS next
         FROM read_parquet('${path}', file_row_number = true)) WHERE next IS NOT NULL`,
    );
    expect(ordered).toEqual([{ desc: true }]);
    const groups = await query(
      `SELECT DISTINCT row_group_id, row_group_num_rows, compression
       FROM parquet_metadata('${path}') ORDER BY row_group_id`,
    );
    expect(groups).toEqual(
      [0, 1, 2].map((g) => ({
        row_group_id: BigInt(g),
        row_group_num_rows: 1000n,
        compression: 'ZSTD',
      })),
    );
    const kv = await query(
      `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${path}')
       WHERE decode(key) IN ('min_ts', 'max_ts', 'records')`,
    );
    expect(Object.fromEntries(kv.map((r) => [r.key, r.value]))).toEqual({
      min_ts: String(encoded.minTs),
      max_ts: String(encoded.maxTs),
      records: String(rows),
    });
  });
});
