import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlatRecord } from '@o2/schema';
import { encodeParquet, readParquet, readParquetMetadata } from '@o2/parquet';
import { buildTokenIndex, tokenIndexMayMatch, tokenIndexRowRanges } from '@o2/token-index';
import { createSearchEngine } from '../index.js';
import type { StreamSource } from '../index.js';
import { flatK8sRecords, k8sLogSample, schemaOf, tableOf } from './k8s-fixture.js';

/*
 * The same rows written twice — row groups of 131072 (one per file) and of --row-group (16384)
 * — and each query run on both layouts alternately, round by round, so a loaded box slows both
 * alike. Medians in ms. Usage: node packages/search/dist/bench/row-groups.bench.js
 *   [--rows 400000 --files 4 --runs 9 --row-group 16384]
 */
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = arg('--rows', 400_000);
const FILES = arg('--files', 4);
const RUNS = arg('--runs', 9);
const SMALL = arg('--row-group', 16_384);
const BASE = 1_700_000_000_000_000;
const STEP = 1000;
const FTS = ['log', 'message'];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'o2ts-rg-bench-'));
  try {
    const sample = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: 0 });
    const schema = schemaOf(sample);
    const perFile = Math.ceil(ROWS / FILES);
    const layouts = new Map<number, Array<{ path: string; index: Uint8Array }>>([
      [131_072, []],
      [SMALL, []],
    ]);
    const sizes = new Map<number, number>();
    for (let f = 0; f < FILES; f++) {
      const records: FlatRecord[] = [];
      for (let i = f * perFile; i < Math.min(ROWS, (f + 1) * perFile); i++) {
        const record = sample[i % sample.length]!;
        const ts = BASE + i * STEP;
        let log = `${new Date(ts / 1000).toISOString()} ${typeof record.log === 'string' ? record.log : ''}`;
        if (i === perFile + 17) log += ' quokka_7f3a';
        if (i % Math.floor(ROWS / 10) === 4321) log += ' wombat_91c2';
        records.push({ ...record, _timestamp: ts, log });
      }
      const table = tableOf(schema, records);
      for (const [size, files] of layouts) {
        const encoded = encodeParquet(table, { rowGroupSize: size });
        const path = join(dir, `${size}-${f}.parquet`);
        await writeFile(path, encoded.bytes);
        sizes.set(size, (sizes.get(size) ?? 0) + encoded.bytes.length);
        const rowGroups = (await readParquetMetadata(encoded.bytes)).rowGroups.map(
          (g) => g.numRows,
        );
        const back = await readParquet(encoded.bytes, { columns: FTS });
        files.push({ path, index: buildTokenIndex(back, FTS, { rowGroups }) });
      }
    }
    for (const [size, files] of layouts) {
      console.log(
        `row groups of ${size}: ${((sizes.get(size) ?? 0) / 1024 / 1024).toFixed(2)} MB, ` +
          `index ${(files.reduce((n, f) => n + f.index.length, 0) / 1024).toFixed(0)} KB`,
      );
    }
    const engine = await createSearchEngine({
      tempDir: join(dir, 'tmp'),
      allowedDirectories: [dir],
      threads: 2,
    });
    const sourceFor = (size: number, terms: readonly string[]): StreamSource[] => {
      const rowRanges = new Map<string, Array<[number, number]>>();
      const kept: string[] = [];
      for (const f of layouts.get(size)!) {
        if (!terms.every((t) => tokenIndexMayMatch(f.index, t, FTS))) continue;
        const ranges = terms.length === 0 ? undefined : tokenIndexRowRanges(f.index, terms, FTS);
        if (ranges?.length === 0) continue;
        if (ranges !== undefined) rowRanges.set(f.path, ranges);
        kept.push(f.path);
      }
      return [{ name: 'default', schema, parquetFiles: kept, rowRanges }];
    };
    const queries: Array<[string, string, string[], number]> = [
      ['count(*)', 'SELECT count(*) FROM "default"', [], 0],
      [
        'rare term (1 hit) count',
        `SELECT count(*) FROM "default" WHERE match_all('quokka_7f3a')`,
        ['quokka_7f3a'],
        0,
      ],
      [
        'rare term (1 hit) first 100',
        `SELECT * FROM "default" WHERE match_all('quokka_7f3a')`,
        ['quokka_7f3a'],
        100,
      ],
      [
        'rare term (10 hits) count',
        `SELECT count(*) FROM "default" WHERE match_all('wombat_91c2')`,
        ['wombat_91c2'],
        0,
      ],
      [
        'rare term (10 hits) first 100',
        `SELECT * FROM "default" WHERE match_all('wombat_91c2')`,
        ['wombat_91c2'],
        100,
      ],
      [
        'common term (error) count',
        `SELECT count(*) FROM "default" WHERE match_all('error')`,
        ['error'],
        0,
      ],
      [
        'count by namespace',
        'SELECT kubernetes_namespace_name AS k, count(*) AS n FROM "default" GROUP BY k ORDER BY n DESC',
        [],
        0,
      ],
      [
        'histogram per minute',
        `SELECT histogram(_timestamp, '1 minute') AS k, count(*) AS n FROM "default" GROUP BY k ORDER BY k`,
        [],
        0,
      ],
      ['code = 200 count', 'SELECT count(*) FROM "default" WHERE code = 200', [], 0],
      ['newest 100', 'SELECT * FROM "default" ORDER BY _timestamp DESC', [], 100],
    ];
    const endTime = BASE + ROWS * STEP;
    console.log(
      `${'query'.padEnd(32)} ${'131072'.padStart(9)} ${String(SMALL).padStart(9)}  (median ms of ${RUNS}, alternating)`,
    );
    for (const [label, sql, terms, size] of queries) {
      const times = new Map<number, number[]>([
        [131_072, []],
        [SMALL, []],
      ]);
      const answers = new Map<number, string>();
      for (let r = 0; r <= RUNS; r++) {
        for (const layout of r % 2 === 0 ? [131_072, SMALL] : [SMALL, 131_072]) {
          const t = performance.now();
          const response = await engine.search(
            { sql, startTime: BASE, endTime, size: size === 0 ? -1 : size },
            sourceFor(layout, terms),
          );
          if (r > 0) times.get(layout)!.push(performance.now() - t);
          answers.set(layout, JSON.stringify(response.hits));
        }
      }
      const same = answers.get(131_072) === answers.get(SMALL) ? '' : '  ANSWERS DIFFER';
      console.log(
        `${label.padEnd(32)} ${median(times.get(131_072)!).toFixed(1).padStart(9)} ${median(times.get(SMALL)!).toFixed(1).padStart(9)}${same}`,
      );
    }
    await engine.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
