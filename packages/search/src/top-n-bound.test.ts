import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flatK8sRecords, k8sLogSample, schemaOf, writeParquet } from './bench/k8s-fixture.js';
import { FooterCache } from './count-from-metadata.js';
import { createSearchEngine } from './index.js';
import type { SearchEngine, StreamSource } from './index.js';
import { footerNarrowed, topNBound } from './top-n-bound.js';
import { narrowToTopN } from './time-top-n.js';
import type { StreamViewInput } from './stream-view.js';

const group = (rows: number, min: number, max: number) => ({ rows, min, max });

describe('topNBound', () => {
  it('takes whole groups inside the range, newest minimum first, until they hold n rows', () => {
    const groups = [group(10, 100, 199), group(10, 200, 299), group(10, 300, 399)];
    const range = { start: 0, end: 1000 };
    expect(topNBound(groups, range, 5, true)).toBe(300);
    expect(topNBound(groups, range, 11, true)).toBe(200);
    expect(topNBound(groups, range, 30, true)).toBe(100);
    expect(topNBound(groups, range, 31, true)).toBeUndefined();
    expect(topNBound(groups, range, 5, false)).toBe(199);
    expect(topNBound(groups, range, 20, false)).toBe(299);
  });

  it('counts no row of a group the range cuts, nor of one without statistics', () => {
    const groups = [
      group(10, 100, 199),
      group(10, 200, 299),
      group(10, 300, 399),
      { rows: 50, min: undefined, max: undefined },
    ];
    // The newest group reaches past the end: its rows may lie outside the range.
    expect(topNBound(groups, { start: 0, end: 350 }, 5, true)).toBe(200);
    expect(topNBound(groups, { start: 150, end: 1000 }, 25, false)).toBeUndefined();
  });
});

describe('a filterless top-n narrowed by footers', () => {
  const BASE = 1_700_000_000_000_000;
  const STEP = 1_000;
  let dir: TempDir;
  let engine: SearchEngine;
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  let source: StreamSource;
  let count: number;

  beforeAll(async () => {
    dir = await makeTempDir('top-n-bound');
    const raw = k8sLogSample();
    const records = flatK8sRecords(raw, { baseMicros: BASE, stepMicros: STEP, count: 600 });
    count = records.length;
    const schema = schemaOf(records);
    // An old file and a new one of small row groups: the newest rows fill the new file's groups.
    source = {
      name: 'default',
      schema,
      parquetFiles: [
        await writeParquet(dir.path, 'old', schema, records.slice(0, 300), 50),
        await writeParquet(dir.path, 'new', schema, records.slice(300), 50),
      ],
    };
    engine = await createSearchEngine({
      tempDir: `${dir.path}/tmp`,
      allowedDirectories: [dir.path],
      threads: 2,
    });
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
  });

  afterAll(async () => {
    conn?.closeSync();
    instance?.closeSync();
    await engine?.close();
    await dir?.remove();
  });

  const viewOf = (startTime: number, endTime: number): StreamViewInput => ({
    view: 'v',
    schema: source.schema,
    files: source.parquetFiles,
    startTime,
    endTime,
  });
  const versions = () => new Map(source.parquetFiles.map((f) => [f, 'v1']));

  it('leaves out the files whose groups all lie past the bound', async () => {
    const deps = { footers: new FooterCache(), versions: versions() };
    const end = BASE + count * STEP;
    const newest = await footerNarrowed(conn, viewOf(BASE, end), 60, true, deps);
    expect(newest?.view.files).toEqual([source.parquetFiles[1]]);
    // Files sorted newest first hold rows 599..550 in their first group, 549..500 next.
    expect(newest?.view.startTime).toBe(BASE + 500 * STEP);
    expect(newest?.reachingGroups).toBe(2);
    const oldest = await footerNarrowed(conn, viewOf(BASE, end), 10, false, deps);
    expect(oldest?.view.files).toEqual([source.parquetFiles[0]]);
    expect(oldest?.view.endTime).toBe(BASE + 49 * STEP + 1);
    // Ten rows fit in the oldest group: nothing past it can hold an answer row.
    expect(oldest?.reachingGroups).toBe(1);
    // The range cuts the newest group: its 50 rows do not count, 550 stay for 560 asked.
    const cut = await footerNarrowed(conn, viewOf(BASE, end - (3 * STEP) / 2), 560, true, deps);
    expect(cut).toBeUndefined();
  });

  it('counts every group of a file it knows no footer of as reaching', async () => {
    const deps = {
      footers: new FooterCache(),
      versions: new Map([[source.parquetFiles[1]!, 'v1']]),
    };
    const end = BASE + count * STEP;
    // The old file stands for an in-memory table's copy: no version, so no footer read.
    const cut = await footerNarrowed(conn, viewOf(BASE, end), 10, true, deps);
    expect(cut?.view.files).toEqual(source.parquetFiles);
    expect(cut?.reachingGroups).toBe(Infinity);
  });

  it('probes the `_timestamp` column only when more than one row group can hold the answer', async () => {
    const statements: string[] = [];
    // The real connection, each statement noted on its way through.
    const counting = new Proxy(conn, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key !== 'run' && key !== 'runAndReadAll') return value;
        return (sql: string) => {
          statements.push(sql);
          return (value as (s: string) => Promise<unknown>).call(target, sql);
        };
      },
    });
    const end = BASE + count * STEP;
    const probes = async (rows: number): Promise<number> => {
      statements.length = 0;
      const deps = { footers: new FooterCache(), versions: versions() };
      const top = { view: 'v', descending: true, rows };
      await narrowToTopN(counting, top, viewOf(BASE, end), undefined, deps);
      return statements.filter((sql) => sql.includes('LIMIT')).length;
    };
    expect(await probes(10)).toBe(0); // the newest group's 50 rows hold them
    expect(await probes(60)).toBe(1); // two groups: the probe tells which rows
  });

  it('answers as reading every file does, at either end and inside a narrower range', async () => {
    const run = (sql: string, startTime: number, endTime: number, trackTotalHits = false) =>
      engine.search({ sql, startTime, endTime, size: -1, trackTotalHits }, [source]);
    const end = BASE + count * STEP;
    for (const [sql, start, stop] of [
      ['SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 120', BASE, end],
      ['SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 30 OFFSET 45', BASE, end],
      ['SELECT * FROM "default" ORDER BY _timestamp ASC LIMIT 77', BASE, end],
      ['SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 20', BASE + 333 * STEP, end - 7],
      ['SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 900', BASE, end],
      // One group holds them: read without a probe.
      ['SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 10', BASE, end],
      ['SELECT * FROM "default" ORDER BY _timestamp ASC LIMIT 50', BASE, end],
      ['SELECT * FROM "default" ORDER BY _timestamp DESC LIMIT 5 OFFSET 3', BASE, end - 7],
    ] as const) {
      const narrowed = await run(sql, start, stop);
      // Asking for the total turns the narrowing off (see time-top-n.test.ts).
      const full = await run(sql, start, stop, true);
      expect(narrowed.hits.length, sql).toBeGreaterThan(0);
      expect(narrowed.hits, sql).toEqual(full.hits);
    }
  });
});
