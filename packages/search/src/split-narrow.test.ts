import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { flatK8sRecords, k8sLogSample, schemaOf, writeParquet } from './bench/k8s-fixture.js';
import { parseSelect } from './sql-ast.js';
import { narrowedPartialSql } from './split-narrow.js';
import { streamViewSql } from './stream-view.js';
import type { StreamViewInput } from './stream-view.js';

const BASE = 1_700_000_000_000_000;
const STEP = 1_000;
const ts = (i: number): number => BASE + i * STEP;

let dir: TempDir;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let files: string[];
let schema: StreamViewInput['schema'];

// Files over records [0,300), [300,600) in 50-row groups, [600,900).
beforeAll(async () => {
  dir = await makeTempDir('split-narrow');
  const records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: STEP });
  schema = schemaOf(records);
  files = [
    await writeParquet(dir.path, 'a', schema, records.slice(0, 300)),
    await writeParquet(dir.path, 'b', schema, records.slice(300, 600), 50),
    await writeParquet(dir.path, 'c', schema, records.slice(600, 900)),
  ];
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});

afterAll(async () => {
  conn?.closeSync();
  instance?.closeSync();
  await dir?.remove();
});

/** The view a worker makes over its share, then the narrowed partial SQL and its answer. */
async function narrow(sql: string, from: number, to: number) {
  const view: StreamViewInput = { view: 'v', schema, files, startTime: ts(from), endTime: ts(to) };
  await conn.run('DROP VIEW IF EXISTS v');
  await conn.run(streamViewSql(view));
  const narrowed = await narrowedPartialSql({ conn, view }, await parseSelect(conn, sql));
  const rows = (await conn.runAndReadAll(narrowed)).getRowObjectsJson();
  const [viewSql] = (
    await conn.runAndReadAll("SELECT sql FROM duckdb_views() WHERE view_name = 'v'")
  )
    .getRows()
    .map((r) => String(r[0]));
  return { narrowed, rows, viewSql: viewSql ?? '' };
}

describe('a partial narrowed like the single node narrows the query', () => {
  it('narrows a newest-n partial to the range of its rows', async () => {
    const top = await narrow('SELECT * FROM v ORDER BY _timestamp DESC LIMIT 10', 0, 900);
    expect(top.rows.map((r) => Number(r['_timestamp']))).toEqual(
      Array.from({ length: 10 }, (_, i) => ts(899 - i)),
    );
    expect(top.viewSql).toContain(`(_timestamp >= ${ts(890)})`);
    const filtered = await narrow(
      'SELECT _timestamp FROM v WHERE code IS NOT NULL ORDER BY _timestamp LIMIT 3',
      0,
      900,
    );
    expect(filtered.rows).toHaveLength(3);
    expect(filtered.viewSql).toMatch(/_timestamp IN \(/);
  });
});
