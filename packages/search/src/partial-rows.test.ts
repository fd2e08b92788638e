import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_ROWS, parquetAnswerMemo, partialResult, partialRowsSql } from './partial-rows.js';
import type { PartialRows } from './partial-rows.js';
import type { StatementResult } from './run-gate.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let dir: string;
const deps = () => ({
  dir,
  run: async (sql: string) => void (await conn.run(sql)),
  read: async <T>(sql: string, read: (r: StatementResult) => Promise<T>) =>
    read(await conn.run(sql)),
});

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  dir = await mkdtemp(join(tmpdir(), 'partial-rows-'));
});

afterAll(async () => {
  conn.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

/** Rows of `sql` and of `other` that the other lacks, and both column type lists. */
async function compare(sql: string, other: string) {
  const diff = async (a: string, b: string) =>
    (await conn.runAndReadAll(`(${a}) EXCEPT ALL (${b})`)).getRows().length;
  const types = async (q: string) =>
    (await conn.runAndReadAll(`DESCRIBE ${q}`))
      .getRows()
      .map((r) => `${String(r[0])} ${String(r[1])}`);
  return {
    missing: await diff(sql, other),
    extra: await diff(other, sql),
    types: [await types(sql), await types(other)],
  };
}

describe('a partial result as text', () => {
  it('comes back with the same values and types, edge values included', async () => {
    const sql = `SELECT * FROM (VALUES
      (0.1::DOUBLE, 1.1::FLOAT, 170141183460469231731687303715884105727::HUGEINT,
       18446744073709551615::UBIGINT, (-128)::TINYINT, 12345678901234.567::DECIMAL(18,3),
       'it''s "q" ✓', true, DATE '2024-02-29', TIMESTAMP '2024-01-01 00:00:00.000001'),
      (1.7976931348623157e308, 'NaN'::FLOAT, -1, 0, 127, -0.001, '', false,
       DATE '1970-01-01', TIMESTAMP '1969-12-31 23:59:59.999999'),
      (5e-324, '-Infinity'::FLOAT, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (1/3, 3.4028235e38::FLOAT, 0, 1, 0, 0, 'line
break', NULL, NULL, NULL)
    ) AS t(d, f, h, ub, ti, dec, s, b, dt, ts)`;
    const result = await partialResult(deps(), sql);
    expect('rows' in result).toBe(true);
    if (!('rows' in result)) return;
    // It crosses the wire as JSON.
    const rows = JSON.parse(JSON.stringify(result.rows)) as PartialRows;
    expect(rows.rows).toHaveLength(4);
    const back = await compare(sql, partialRowsSql([rows]));
    expect(back.missing).toBe(0);
    expect(back.extra).toBe(0);
    expect(back.types[1]).toEqual(back.types[0]);
  });

  it('keeps its column types when it has no rows, and joins answers by name', async () => {
    const empty = await partialResult(deps(), 'SELECT 1::BIGINT AS n, 2.5 AS x WHERE false');
    expect(empty).toMatchObject({ rows: { rows: [] } });
    const one = await partialResult(deps(), 'SELECT 2.5 AS x, 7::BIGINT AS n');
    if (!('rows' in empty) || !('rows' in one)) throw new Error('expected text answers');
    const joined = partialRowsSql([empty.rows, one.rows]);
    const back = await compare('SELECT 7::BIGINT AS n, 2.5 AS x', joined);
    expect([back.missing, back.extra]).toEqual([0, 0]);
    expect(back.types[1]).toEqual(back.types[0]);
  });

  it('stays Parquet for many rows or nested types, and leaves no table or file', async () => {
    const many = await partialResult(deps(), `SELECT range AS n FROM range(${MAX_TEXT_ROWS + 1})`);
    expect('parquet' in many).toBe(true);
    const few = await partialResult(deps(), `SELECT range AS n FROM range(${MAX_TEXT_ROWS})`);
    expect('rows' in few).toBe(true);
    const nested = await partialResult(deps(), `SELECT ['a,b', 'c'] AS l`);
    expect('parquet' in nested).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    const tables = await conn.runAndReadAll(`SELECT table_name FROM duckdb_tables()`);
    expect(tables.getRows()).toEqual([]);
  });

  it('computes a partial once it was found too large for text: straight to Parquet', async () => {
    const statements: string[] = [];
    const counted = { ...deps(), parquetAnswers: parquetAnswerMemo() };
    const { run, read } = counted;
    counted.run = (sql) => (statements.push(sql), run(sql));
    counted.read = (sql, r) => (statements.push(sql), read(sql, r));
    const groups = `SELECT range % ${MAX_TEXT_ROWS * 2} AS k, count(*) AS n FROM range(5000) GROUP BY k`;
    const first = await partialResult(counted, groups, 'groups');
    expect(statements).toHaveLength(2); // the text attempt, then COPY to Parquet
    const again = await partialResult(counted, groups, 'groups');
    expect(statements).toHaveLength(3);
    expect(statements[2]).toMatch(/^COPY/);
    if (!('parquet' in first) || !('parquet' in again)) throw new Error('expected Parquet');
    expect(again.parquet.byteLength).toBeGreaterThan(0);
    expect(first.parquet.byteLength).toBeGreaterThan(0);
    // Another partial is unaffected: few rows still travel as text.
    const few = await partialResult(counted, 'SELECT 1 AS n', 'few');
    expect('rows' in few).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a column type it cannot read back, before it reaches SQL', () => {
    const bad: PartialRows = { columns: [{ name: 'x', type: 'INT); DROP TABLE t; --' }], rows: [] };
    expect(() => partialRowsSql([bad])).toThrow(/column type/);
    const wide: PartialRows = { columns: [{ name: 'x', type: 'BIGINT' }], rows: [['1', '2']] };
    expect(() => partialRowsSql([wide])).toThrow(/wrong width/);
  });
});
