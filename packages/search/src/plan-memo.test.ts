import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanMemo } from './plan-memo.js';
import type { PlanInput } from './plan-query.js';
import type { StreamField, StreamSource } from './types.js';

const HOUR = 3_600_000_000;
const SCHEMA: StreamField[] = [
  { name: '_timestamp', type: 'Int64' },
  { name: 'code', type: 'Int64' },
  { name: 'log', type: 'Utf8' },
  { name: 'pod', type: 'Utf8' },
];

let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

/** A source as the resolver makes one per query: its own object, its own file list. */
const source = (overrides: Partial<StreamSource> = {}): StreamSource => ({
  name: 'app',
  schema: SCHEMA,
  parquetFiles: [`/data/${Math.random()}.parquet`],
  ...overrides,
});

const input = (sql: string, overrides: Partial<PlanInput> = {}): PlanInput => ({
  sql,
  startTime: 0,
  endTime: HOUR,
  from: 0,
  size: 100,
  trackTotalHits: false,
  sources: [source()],
  defaultLimit: 100,
  defaultFtsFields: ['log'],
  aggregateFunctions: new Set(['count', 'sum']),
  ...overrides,
});

describe('PlanMemo', () => {
  it('plans a text once and binds the kept plan to each query its own sources', async () => {
    const memo = new PlanMemo();
    const sql = `SELECT count(*) AS n FROM "app" WHERE match_all('boom')`;
    const first = await memo.plan(conn, input(sql));
    const sources = [source()];
    const second = await memo.plan(conn, input(sql, { sources }));
    expect(second.sql).toBe(first.sql);
    // The kept plan's parts are reused as they are, not planned again.
    expect(second.limit).toBe(first.limit);
    expect(second.streams.map((s) => s.source)).toEqual(sources);
    expect(second.streams[0]!.source).toBe(sources[0]);
    expect(second.streams.map((s) => s.view)).toEqual(first.streams.map((s) => s.view));
  });

  it('plans again when what shapes the plan differs: paging, schema, full-text keys', async () => {
    const memo = new PlanMemo();
    const sql = `SELECT * FROM "app" WHERE match_all('boom')`;
    const base = await memo.plan(conn, input(sql));
    const paged = await memo.plan(conn, input(sql, { from: 20, size: 10 }));
    expect(paged.sql).not.toBe(base.sql);
    expect(paged.sql).toMatch(/OFFSET 20/);
    const keys = await memo.plan(
      conn,
      input(sql, { sources: [source({ settings: { full_text_search_keys: ['pod'] } })] }),
    );
    expect(keys.sql).toMatch(/pod/);
    expect(base.sql).not.toMatch(/pod/);
    // `code` stored as text: the comparison is planned for a string column now.
    const typed = `SELECT count(*) AS n FROM "app" WHERE CAST(code AS VARCHAR) = '200'`;
    const asInt = await memo.plan(conn, input(typed));
    const textSchema = SCHEMA.map((f) => (f.name === 'code' ? { ...f, type: 'Utf8' as const } : f));
    const asText = await memo.plan(
      conn,
      input(typed, { sources: [source({ schema: textSchema })] }),
    );
    expect(asText.limit).not.toBe(asInt.limit);
  });

  it('keys an automatic histogram interval by the time range it was made for', async () => {
    const memo = new PlanMemo();
    const sql = `SELECT histogram(_timestamp) AS k, count(*) AS n FROM "app" GROUP BY k`;
    const hour = await memo.plan(conn, input(sql));
    const day = await memo.plan(conn, input(sql, { endTime: 24 * HOUR }));
    expect(hour.readsTimeRange).toBe(true);
    expect(day.histogramInterval).toBeGreaterThan(hour.histogramInterval!);
    const hourAgain = await memo.plan(conn, input(sql));
    expect(hourAgain.histogramInterval).toBe(hour.histogramInterval);
    expect(hourAgain.limit).toBe(hour.limit);
    // An explicit interval reads no range: one plan for every range.
    const fixed = `SELECT histogram(_timestamp, '1 minute') AS k, count(*) AS n FROM "app" GROUP BY k`;
    const a = await memo.plan(conn, input(fixed));
    const b = await memo.plan(conn, input(fixed, { startTime: HOUR, endTime: 30 * HOUR }));
    expect(a.readsTimeRange).toBe(false);
    expect(b.limit).toBe(a.limit);
  });

  it('keeps no failure: a stream that appears is found by the same text', async () => {
    const memo = new PlanMemo();
    const sql = 'SELECT count(*) AS n FROM "app"';
    await expect(
      memo.plan(conn, input(sql, { sources: [source({ schema: [] })] })),
    ).rejects.toThrow(/stream not found/);
    const plan = await memo.plan(conn, input(sql));
    expect(plan.streams).toHaveLength(1);
  });
});
