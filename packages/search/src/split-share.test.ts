import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { countBareStream } from './bare-count.js';
import { flatK8sRecords, k8sLogSample, schemaOf, writeParquet } from './bench/k8s-fixture.js';
import { FooterCache } from './count-from-metadata.js';
import { createStreamViews } from './create-views.js';
import { HotTableFiles } from './hot-table-files.js';
import type { BoundStream } from './plan-query.js';
import { parseSelect } from './sql-ast.js';
import { sharePartialSql } from './split-share.js';
import type { SplitDeps } from './split-search.js';
import type { StreamField } from './types.js';
import { VersionedCache } from './versioned-cache.js';
import type { FileFacts } from './versioned-cache.js';

const BASE = 1_700_000_000_000_000;
const STEP = 1_000;
const ts = (i: number): number => BASE + i * STEP;

let dir: TempDir;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let files: string[];
let schema: StreamField[];

// Files over records [0,300), [300,600), [600,900).
beforeAll(async () => {
  dir = await makeTempDir('split-share');
  const records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: STEP });
  schema = schemaOf(records);
  files = [
    await writeParquet(dir.path, 'a', schema, records.slice(0, 300)),
    await writeParquet(dir.path, 'b', schema, records.slice(300, 600)),
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

/** A worker's share over the three files in [from, to): its SQL, answer and view, if made. */
async function share(sql: string, from: number, to: number) {
  await conn.run('DROP VIEW IF EXISTS v');
  const range = { startTime: ts(from), endTime: ts(to) };
  const hotFiles = new HotTableFiles(dir.path);
  const fileFacts = new VersionedCache<FileFacts>();
  const footers = new FooterCache();
  const deps: SplitDeps = {
    conn,
    dir: dir.path,
    aggregateFunctions: new Set(['count']),
    createViews: (s) => createStreamViews(conn, s, range, hotFiles, fileFacts),
    countBare: (s, bare) => countBareStream(conn, s, range, bare, hotFiles, { fileFacts, footers }),
    run: (text) => conn.run(text).then(() => undefined),
    range,
  };
  const source = { name: 's', schema, parquetFiles: files, tables: [], settings: {} };
  const stream: BoundStream = { ref: { name: 's' }, source, view: 'v' };
  const made = await sharePartialSql(deps, stream, await parseSelect(conn, sql));
  const rows = (await conn.runAndReadAll(made.sql)).getRowObjectsJson();
  const views = await conn.runAndReadAll("SELECT sql FROM duckdb_views() WHERE view_name = 'v'");
  const viewSql = views.getRows().map((r) => String(r[0]))[0];
  return { sql: made.sql, rows, viewSql, records: made.scan.records, counted: made.counted };
}

describe('a bare count share is counted before any view is made', () => {
  it('answers from the footers alone when every file lies in the range', async () => {
    const whole = await share('SELECT count(*) AS n FROM v', 0, 900);
    expect(whole.rows).toEqual([{ n: '900' }]);
    expect(whole.sql).not.toMatch(/FROM/);
    expect(whole.viewSql).toBeUndefined();
    // What the share covers is still reported, as a full scan would.
    expect(whole.records).toBe(900);
    // The one row also comes as a text answer, so no statement has to run for it.
    expect(whole.counted).toEqual({ columns: [{ name: 'n', type: 'BIGINT' }], rows: [['900']] });
  });

  it('makes the view over the files the range cuts only', async () => {
    const cut = await share('SELECT count(*) AS n FROM v', 100, 750);
    expect(cut.rows).toEqual([{ n: '650' }]);
    expect(cut.viewSql).toContain(files[0]);
    expect(cut.viewSql).toContain(files[2]);
    expect(cut.viewSql).not.toContain(files[1]);
    expect(cut.counted).toBeUndefined();
  });

  it("adds the footers' count to the scan of the rest, narrowed by a time-only WHERE", async () => {
    const sql = 'SELECT count(*) AS __o2_p0 FROM v';
    const cut = await share(sql, 100, 750);
    expect(cut.sql).toMatch(/\+ 300::BIGINT/);
    expect(cut.rows).toEqual([{ __o2_p0: '650' }]);
    // A time-only WHERE narrows which files count whole.
    const where = await share(`${sql} WHERE _timestamp >= ${ts(300)}`, 0, 900);
    expect(where.sql).toMatch(/\+ 600::BIGINT/);
    expect(where.rows).toEqual([{ __o2_p0: '600' }]);
    // No file wholly inside: the partial runs as it came.
    const none = await share(sql, 10, 20);
    expect(none.sql).not.toMatch(/BIGINT/);
    expect(none.rows).toEqual([{ __o2_p0: '10' }]);
  });

  it('leaves any other partial to a view over every file', async () => {
    const other = await share('SELECT count(*) AS n FROM v WHERE code = 200', 0, 900);
    for (const file of files) expect(other.viewSql).toContain(file);
    expect(other.sql).not.toMatch(/BIGINT/);
  });
});
