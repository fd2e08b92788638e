import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import {
  flatK8sRecords,
  k8sLogSample,
  schemaOf,
  tableOf,
  writeParquet,
} from './bench/k8s-fixture.js';
import { bareCountOf } from './count-from-metadata.js';
import { createSearchEngine } from './index.js';
import type { SearchEngine, StreamSource } from './index.js';
import { parseSelect } from './sql-ast.js';

const BASE = 1_700_000_000_000_000;
const STEP = 1_000;
const ts = (i: number): number => BASE + i * STEP;

let dir: TempDir;
let engine: SearchEngine;
let sources: StreamSource[];

// Three files over consecutive record ranges [0,300), [300,600), [600,900) (the middle one in
// row groups of 50), plus an in-memory table holding [900,981): a range cuts some files and
// covers others whole.
beforeAll(async () => {
  dir = await makeTempDir('count-metadata');
  const records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: STEP });
  const schema = schemaOf(records);
  const files = [
    await writeParquet(dir.path, 'a', schema, records.slice(0, 300)),
    await writeParquet(dir.path, 'b', schema, records.slice(300, 600), 50),
    await writeParquet(dir.path, 'c', schema, records.slice(600, 900)),
  ];
  engine = await createSearchEngine({
    tempDir: `${dir.path}/tmp`,
    allowedDirectories: [dir.path],
    threads: 2,
  });
  sources = [
    {
      name: 's',
      schema,
      parquetFiles: files,
      tables: [tableOf(schema, records.slice(900))],
    },
  ];
});

afterAll(async () => {
  await engine?.close();
  await dir?.remove();
});

async function count(sql: string, from: number, to: number) {
  const response = await engine.search({ sql, startTime: ts(from), endTime: ts(to) }, sources);
  return response.hits;
}

describe('count(*) from Parquet metadata', () => {
  it('is exact whether the range covers files whole, cuts them or misses them', async () => {
    const ranges: Array<[number, number]> = [
      [0, 981],
      [0, 600],
      [0, 450],
      [150, 750],
      [300, 600],
      [301, 599],
      [600, 950],
      [950, 981],
      [2000, 3000],
    ];
    for (const [from, to] of ranges) {
      const expected = Math.max(0, Math.min(to, 981) - Math.min(from, 981));
      expect(await count('SELECT count(*) AS n FROM s', from, to), `[${from},${to})`).toEqual([
        { n: expected },
      ]);
      expect(await count('SELECT count(*) FROM "s"', from, to)).toEqual([{ 'count(*)': expected }]);
    }
  });

  it('leaves a filtered, grouped or offset count to the scan, with the same answers', async () => {
    expect(await count('SELECT count(*) AS n FROM s WHERE code IS NOT NULL', 0, 981)).toEqual(
      await count('SELECT count(code) AS n FROM s', 0, 981),
    );
    expect(await count('SELECT count(*) AS n FROM s LIMIT 1 OFFSET 1', 0, 981)).toEqual([]);
  });

  it('counts a time-only WHERE from metadata too, exactly', async () => {
    const n = (a: number, b: number, from = 0, to = 981): number =>
      Math.max(0, Math.min(b, to, 981) - Math.max(a, from, 0));
    const cases: Array<[string, number, number?, number?]> = [
      [`_timestamp >= ${ts(300)} AND _timestamp < ${ts(600)}`, n(300, 600)],
      [`_timestamp > ${ts(299)} AND _timestamp <= ${ts(599)}`, n(300, 600)],
      [`_timestamp BETWEEN ${ts(100)} AND ${ts(899)}`, n(100, 900)],
      [`${ts(450)} <= _timestamp`, n(450, 981)],
      [`${ts(450)} > s._timestamp`, n(0, 450)],
      [`_timestamp = ${ts(17)}`, 1],
      [`_timestamp >= ${ts(600)} AND _timestamp < ${ts(300)}`, 0],
      [`_timestamp >= ${ts(0)} AND _timestamp < ${ts(600)}`, n(150, 600, 150, 750), 150, 750],
    ];
    for (const [where, expected, from = 0, to = 981] of cases) {
      expect(await count(`SELECT count(*) AS n FROM s WHERE ${where}`, from, to), where).toEqual([
        { n: expected },
      ]);
    }
  });

  it('counts in-memory rows from their _timestamp column, never copying them to Parquet', async () => {
    const records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: STEP });
    const schema = schemaOf(records);
    const temp = `${dir.path}/hot-only`;
    const own = await createSearchEngine({ tempDir: temp, threads: 1 });
    try {
      // A table sliced out of a bigger one starts at an offset into its column buffers.
      const tables = [
        tableOf(schema, records.slice(0, 400)).slice(100, 300),
        tableOf(schema, records.slice(500, 700)),
      ];
      const only: StreamSource[] = [{ name: 's', schema, parquetFiles: [], tables }];
      const inTables = (from: number, to: number): number =>
        [
          [100, 300],
          [500, 700],
        ].reduce((n, [a, b]) => n + Math.max(0, Math.min(b!, to) - Math.max(a!, from)), 0);
      for (const [from, to] of [
        [0, 1000],
        [150, 250],
        [250, 600],
        [300, 500],
        [699, 700],
        [5, 5],
      ]) {
        const response = await own.search(
          { sql: 'SELECT count(*) AS n FROM s', startTime: ts(from!), endTime: ts(to!) },
          only,
        );
        expect(response.hits, `[${from},${to})`).toEqual([{ n: inTables(from!, to!) }]);
        expect(response.scan_records).toBe(400);
      }
      const hotDirs = (await readdir(temp)).filter((d) => d.startsWith('hot-'));
      const copies = async () =>
        (await Promise.all(hotDirs.map((d) => readdir(join(temp, d))))).flat().length;
      expect(await copies()).toBe(0);
      // A filtered count still scans the rows through their Parquet copies, with the same answer.
      const filtered = await own.search(
        {
          sql: 'SELECT count(*) AS n FROM s WHERE code IS NOT NULL OR code IS NULL',
          startTime: ts(250),
          endTime: ts(600),
        },
        only,
      );
      expect(filtered.hits).toEqual([{ n: inTables(250, 600) }]);
      expect(await copies()).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('recognises only the bare count', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const shape = async (sql: string) => bareCountOf(await parseSelect(conn, sql), new Set(['s']));
    try {
      expect(await shape('SELECT count(*) AS n FROM s')).toEqual({ view: 's', column: 'n' });
      expect(await shape('SELECT count(*) AS n FROM s LIMIT 10')).toEqual({
        view: 's',
        column: 'n',
      });
      expect(
        await shape('SELECT count(*) AS n FROM s WHERE _timestamp >= 5 AND _timestamp < 10'),
      ).toEqual({ view: 's', column: 'n', start: 5, end: 10 });
      for (const other of [
        'SELECT count(*) AS n FROM s WHERE a = 1',
        'SELECT count(*) AS n FROM s WHERE _timestamp >= 5 OR _timestamp < 2',
        'SELECT count(*) AS n FROM s WHERE _timestamp >= CAST(5 AS VARCHAR)',
        'SELECT count(*) AS n FROM s WHERE _timestamp >= 5 AND a = 1',
        'SELECT count(*) AS n FROM s WHERE _timestamp <> 5',
        'SELECT count(*) AS n FROM s GROUP BY a',
        'SELECT count(*) FILTER (WHERE a = 1) AS n FROM s',
        'SELECT count(a) AS n FROM s',
        'SELECT count(*) AS n, max(a) AS m FROM s',
        'SELECT count(*) AS n FROM t',
        'SELECT count(*) AS n FROM s LIMIT 1 OFFSET 1',
        'SELECT count(*) AS n FROM s HAVING count(*) > 5',
      ]) {
        expect(await shape(other), other).toBeUndefined();
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('reads a footer again when a file is rewritten in place (facts are cached per version)', async () => {
    const records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: STEP });
    const schema = schemaOf(records);
    const path = await writeParquet(dir.path, 'rewritten', schema, records.slice(0, 100));
    const only: StreamSource[] = [{ name: 's', schema, parquetFiles: [path] }];
    const run = async () =>
      engine.search(
        { sql: 'SELECT count(*) AS n FROM s', startTime: ts(0), endTime: ts(1000) },
        only,
      );
    expect((await run()).hits).toEqual([{ n: 100 }]);
    expect((await run()).hits).toEqual([{ n: 100 }]);
    await new Promise((r) => setTimeout(r, 20)); // a later mtime even on coarse clocks
    await writeParquet(dir.path, 'rewritten', schema, records.slice(0, 250));
    const after = await run();
    expect(after.hits).toEqual([{ n: 250 }]);
    expect(after.scan_records).toBe(250);
  });
});
