import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { readParquet, readParquetMetadata } from '@o2/parquet';
import { buildTokenIndex, tokenIndexMayMatch, tokenIndexRowRanges } from '@o2/token-index';
import { createSearchEngine } from './index.js';
import type { SearchEngine } from './search-engine.js';
import type { StreamField, StreamSource } from './index.js';
import { flatK8sRecords, k8sLogSample, schemaOf, writeParquet } from './bench/k8s-fixture.js';

const BASE = 1_700_000_000_000_000;
const FTS = ['log', 'message'];

let dir: TempDir;
let engine: SearchEngine;
let schema: StreamField[];
/** `gramsOnly`: no token list kept, so every group is narrowed by its trigrams' blocks. */
let files: Array<{ path: string; index: Uint8Array; gramsOnly: Uint8Array; values: string[] }>;

beforeAll(async () => {
  dir = await makeTempDir('row-ranges');
  engine = await createSearchEngine({
    tempDir: `${dir.path}/engine`,
    allowedDirectories: [dir.path],
  });
  const records = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: 1000 });
  schema = schemaOf(records);
  const half = Math.floor(records.length / 2);
  files = [];
  for (const [name, part] of [
    ['a', records.slice(0, half)],
    ['b', records.slice(half)],
  ] as const) {
    // Small row groups, and the index built from the file as written (sorted), as on upload.
    const path = await writeParquet(dir.path, name, schema, part, 40);
    const body = await readFile(path);
    const rowGroups = (await readParquetMetadata(body)).rowGroups.map((g) => g.numRows);
    const table = await readParquet(body, { columns: FTS });
    const values = part.flatMap((r) =>
      FTS.flatMap((f) => (typeof r[f] === 'string' ? [r[f]] : [])),
    );
    files.push({
      path,
      index: buildTokenIndex(table, FTS, { rowGroups }),
      gramsOnly: buildTokenIndex(table, FTS, { rowGroups, maxTokenListBytes: 0 }),
      values,
    });
  }
});

afterAll(async () => {
  await engine?.close();
  await dir?.remove();
});

/** Sources as the querier builds them: files the index rules out dropped, row ranges kept. */
function pruned(
  terms: readonly string[],
  kind: 'index' | 'gramsOnly' = 'index',
): {
  sources: StreamSource[];
  narrowed: number;
  spans: number;
  mixed: boolean;
} {
  const rowRanges = new Map<string, Array<[number, number]>>();
  const kept: string[] = [];
  for (const f of files) {
    if (!terms.every((t) => tokenIndexMayMatch(f[kind], t, FTS))) continue;
    const ranges = tokenIndexRowRanges(f[kind], terms, FTS);
    if (ranges?.length === 0) continue;
    if (ranges !== undefined) rowRanges.set(f.path, ranges);
    kept.push(f.path);
  }
  const source = { name: 'default', schema, parquetFiles: kept, rowRanges };
  // Files read at several ranges: one scan with the ranges ORed inside (stream-view.ts).
  const spans = [...rowRanges.values()].filter((r) => r.length > 1).length;
  // Some files in ranges, some whole: a top-n probes only the whole ones (time-top-n.ts).
  const mixed = rowRanges.size > 0 && kept.length > rowRanges.size;
  return { sources: [source], narrowed: rowRanges.size, spans, mixed };
}

describe('row ranges from the token index', () => {
  it.each(['index', 'gramsOnly'] as const)(
    'answer every query as reading the whole files does (%s)',
    async (kind) => {
      const values = files.flatMap((f) => f.values);
      const terms = ['watcher.go:87', 'error', 'Failed to watch', 'zzqx', 'GET', '200'];
      for (let i = 0; terms.length < 40; i += 37) {
        const value = values[i % values.length]!;
        const word = value.split(/[^A-Za-z0-9_.]+/).find((w) => w.length >= 6);
        if (word !== undefined && !terms.includes(word)) terms.push(word);
      }
      const whole: StreamSource[] = [
        { name: 'default', schema, parquetFiles: files.map((f) => f.path) },
      ];
      let narrowedQueries = 0;
      let spanQueries = 0;
      let mixedQueries = 0;
      for (const term of terms) {
        const where = `match_all('${term.replaceAll("'", "''")}')`;
        const queries = [
          `SELECT * FROM "default" WHERE ${where} ORDER BY _timestamp DESC, log`,
          `SELECT count(*) AS n FROM "default" WHERE ${where}`,
          `SELECT * FROM "default" WHERE ${where} ORDER BY _timestamp DESC LIMIT 3`,
        ];
        const { sources, narrowed, spans, mixed } = pruned([term], kind);
        if (mixed) mixedQueries++;
        if (narrowed > 0) narrowedQueries++;
        if (spans > 0) spanQueries++;
        for (const sql of queries) {
          const request = { sql, startTime: BASE, endTime: BASE + 10 ** 10, size: -999 };
          const expected = await engine.search(request, whole);
          const got = await engine.search(request, sources);
          expect({ sql, hits: got.hits }).toEqual({ sql, hits: expected.hits });
        }
      }
      // The row groups did narrow most reads (the test would prove nothing otherwise).
      expect(narrowedQueries).toBeGreaterThan(terms.length / 2);
      expect(spanQueries).toBeGreaterThan(0);
      expect(mixedQueries).toBeGreaterThan(0);
    },
  );

  it('keep the partials of narrowed files and answer repeats from them', async () => {
    const kept = (): number => (engine as unknown as { answers: { size: number } }).answers.size;
    const whole: StreamSource[] = [
      { name: 'default', schema, parquetFiles: files.map((f) => f.path) },
    ];
    for (const [i, term] of ['error', 'watcher.go:87', 'orders'].entries()) {
      const { sources, narrowed } = pruned([term]);
      expect(narrowed).toBeGreaterThan(0);
      const where = `match_all('${term}')`;
      for (const sql of [
        `SELECT kubernetes_namespace_name AS ns${i}, count(*) AS n FROM "default" ` +
          `WHERE ${where} GROUP BY ns${i} ORDER BY ns${i}`,
        // The rare term's first rows, as the logs page asks: each file's top rows are kept.
        `SELECT * FROM "default" WHERE ${where} ORDER BY _timestamp DESC LIMIT ${7 + i}`,
      ]) {
        const request = { sql, startTime: BASE, endTime: BASE + 10 ** 10, size: -999 };
        const expected = await engine.search(request, whole);
        const before = kept();
        // Met before: each narrowed file's partial over its ranges is kept, then read.
        const filled = await engine.search(request, sources);
        expect(kept()).toBeGreaterThan(before);
        const again = await engine.search(request, sources);
        for (const got of [filled, again])
          expect({ sql, hits: got.hits }).toEqual({ sql, hits: expected.hits });
      }
    }
  });

  it('answer the same when a file has too many ranges to OR in one scan', async () => {
    // The index's ranges plus every third row as a one-row range: still every row that can
    // match, but past the ORed limit per scan (stream-view.ts), so the file is read in spans
    // and a span of that many ranges is read whole.
    const padded = (ranges: ReadonlyArray<readonly [number, number]>, rows: number) => {
      const covered = (row: number) => ranges.some(([a, b]) => row >= a && row < b);
      const extra = Array.from({ length: Math.ceil(rows / 3) }, (_, i) => i * 3)
        .filter((row) => !covered(row) && !covered(row + 1) && !covered(row - 1))
        .map((row): [number, number] => [row, row + 1]);
      return [...ranges.map(([a, b]): [number, number] => [a, b]), ...extra].sort(
        (x, y) => x[0] - y[0],
      );
    };
    const whole: StreamSource[] = [
      { name: 'default', schema, parquetFiles: files.map((f) => f.path) },
    ];
    let many = 0;
    for (const term of ['error', 'watcher.go:87', 'orders', '10.20.10.19']) {
      const { sources } = pruned([term]);
      const source = sources[0]!;
      const rowRanges = new Map<string, Array<[number, number]>>();
      for (const [path, ranges] of source.rowRanges ?? []) {
        const rows = files.find((f) => f.path === path)!.values.length;
        rowRanges.set(path, padded(ranges, rows));
        if ((rowRanges.get(path)?.length ?? 0) > 16) many++;
      }
      const where = `match_all('${term}')`;
      for (const sql of [
        `SELECT * FROM "default" WHERE ${where} ORDER BY _timestamp DESC, log`,
        `SELECT count(*) AS n FROM "default" WHERE ${where}`,
        `SELECT * FROM "default" WHERE ${where} ORDER BY _timestamp DESC LIMIT 3`,
      ]) {
        const request = { sql, startTime: BASE, endTime: BASE + 10 ** 10, size: -999 };
        const expected = await engine.search(request, whole);
        const got = await engine.search(request, [{ ...source, rowRanges }]);
        expect({ sql, hits: got.hits }).toEqual({ sql, hits: expected.hits });
      }
    }
    expect(many).toBeGreaterThan(2);
  });
});
