import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { flatK8sRecords, k8sLogSample, schemaOf, writeParquet } from './bench/k8s-fixture.js';
import { createSearchEngine } from './index.js';
import type { SearchEngine, StreamSource } from './index.js';

const BASE = 1_700_000_000_000_000;
const STEP = 1_000;

let dir: TempDir;
let engine: SearchEngine;
let source: StreamSource;
let records: ReturnType<typeof flatK8sRecords>;

// Files of one schema are read by one `read_parquet` without `union_by_name`; here two pairs of
// files share a schema (one pair without the columns its rows never set) and one file stands
// alone, so the view unions three groups of differing columns.
beforeAll(async () => {
  dir = await makeTempDir('stream-view');
  records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: STEP });
  const coded = records.filter((r) => r.code !== undefined);
  const codeless = records.filter((r) => r.code === undefined);
  const full = schemaOf(records);
  const half = (rows: typeof records, odd: boolean) => rows.filter((_, i) => i % 2 === +odd);
  const files = [
    await writeParquet(dir.path, 'coded-a', full, half(coded, false)),
    await writeParquet(dir.path, 'coded-b', full, half(coded, true)),
    await writeParquet(dir.path, 'codeless-a', schemaOf(codeless), half(codeless, false)),
    await writeParquet(dir.path, 'codeless-b', schemaOf(codeless), half(codeless, true)),
  ];
  engine = await createSearchEngine({
    tempDir: `${dir.path}/tmp`,
    allowedDirectories: [dir.path],
    threads: 2,
  });
  source = { name: 's', schema: full, parquetFiles: files };
  expect(schemaOf(codeless).length).toBeLessThan(full.length);
});

afterAll(async () => {
  await engine?.close();
  await dir?.remove();
});

const search = async (sql: string, from = 0, to = records.length) =>
  (
    await engine.search(
      { sql, startTime: BASE + from * STEP, endTime: BASE + to * STEP, size: -999 },
      [source],
    )
  ).hits;

describe('stream view over files grouped by schema', () => {
  it('reads every row once, with the columns a file lacks as NULL', async () => {
    expect(await search('SELECT count(*) AS n FROM s WHERE _timestamp > 0')).toEqual([
      { n: records.length },
    ]);
    const codes = new Map<string, number>();
    for (const r of records) {
      const key = r.code === undefined ? 'null' : String(r.code);
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
    const hits = await search(
      'SELECT CAST(code AS VARCHAR) AS c, count(*) AS n FROM s GROUP BY c ORDER BY c',
    );
    const got = new Map(hits.map((h) => [typeof h.c === 'string' ? h.c : 'null', h.n]));
    expect(got).toEqual(codes);
  });

  it('filters by the range only the files it cuts, exactly', async () => {
    // Not a bare count, so the rows are scanned through the view.
    const sql = 'SELECT count(*) AS n FROM s WHERE code IS NULL OR code IS NOT NULL';
    for (const [from, to] of [
      [0, records.length],
      [0, records.length - 1],
      [1, records.length],
      [100, 200],
      [0, 0],
    ] as const) {
      expect(await search(sql, from, to), `[${from},${to})`).toEqual([{ n: to - from }]);
    }
  });
});
