import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlatRecord } from '@o2/schema';
import {
  DEFAULT_ROW_GROUP_SIZE,
  encodeParquet,
  readParquet,
  readParquetMetadata,
} from '@o2/parquet';
import {
  buildTokenIndex,
  tokenIndexInfo,
  tokenIndexMayMatch,
  tokenIndexRowRanges,
} from '@o2/token-index';
import { createSearchEngine, DEFAULT_FTS_FIELDS } from '../index.js';
import type { SearchQuery } from '@o2/domain';
import type { StreamField, StreamSource } from '../index.js';
import { flatK8sRecords, k8sLogSample, schemaOf, tableOf } from './k8s-fixture.js';

/*
 * p50/p95 of the query set over k8slog-shaped rows in Parquet files made here. Usage:
 *   pnpm --filter @o2/search bench [-- --rows 1000000 --files 8 --runs 15 --threads 2
 *     --row-group 131072]
 * One file gets a rare token so match_all of it shows what the token index prunes; a second
 * rare token sits in 10 rows spread over the files (the "rare term, 10 hits").
 */

const ROWS = Number(argValue('--rows') ?? 1_000_000);
const FILES = Number(argValue('--files') ?? 8);
const RUNS = Number(argValue('--runs') ?? 15);
const THREADS = Number(argValue('--threads') ?? 2);
const HOT_ROWS = 20_000;
const BASE = 1_700_000_000_000_000;
const STEP = 1000; // 1 ms between rows: 1M rows span ~17 minutes
const ROW_GROUP = Number(argValue('--row-group') ?? DEFAULT_ROW_GROUP_SIZE);
const RARE = 'quokka_7f3a';
const RARE10 = 'wombat_91c2';

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'o2ts-search-bench-'));
  try {
    const generated = performance.now();
    const sample = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: 0 });
    const schema: StreamField[] = schemaOf(sample);
    const perFile = Math.ceil(ROWS / FILES);
    const files: Array<{ path: string; index: Uint8Array }> = [];
    let bytes = 0;
    for (let f = 0; f < FILES; f++) {
      const records: FlatRecord[] = [];
      for (let i = f * perFile; i < Math.min(ROWS, (f + 1) * perFile); i++) {
        const record = sample[i % sample.length]!;
        const ts = BASE + i * STEP;
        // A per-row time in the text keeps the log column from collapsing into a dictionary of
        // 981 strings, which would flatter every full-text scan.
        const text = typeof record.log === 'string' ? record.log : '';
        let log = `${new Date(ts / 1000).toISOString()} ${text}`;
        if (i === perFile * 3 + 17) log += ` ${RARE}`;
        if (i % Math.floor(ROWS / 10) === 4321) log += ` ${RARE10}`;
        records.push({ ...record, _timestamp: ts, log });
      }
      const table = tableOf(schema, records);
      const encoded = encodeParquet(table, { rowGroupSize: ROW_GROUP });
      const path = join(dir, `part-${f}.parquet`);
      await writeFile(path, encoded.bytes);
      bytes += encoded.bytes.length;
      // The index is built as the ingester builds it: from the file as written (sorted).
      const metadata = await readParquetMetadata(encoded.bytes);
      const back = await readParquet(encoded.bytes, { columns: ['log', 'message'] });
      const rowGroups = metadata.rowGroups.map((g) => g.numRows);
      files.push({ path, index: buildTokenIndex(back, ['log', 'message'], { rowGroups }) });
    }
    const hotRecords = Array.from({ length: HOT_ROWS }, (_, k) => ({
      ...sample[k % sample.length]!,
      _timestamp: BASE + (ROWS + k) * STEP,
    }));
    const hotTable = tableOf(schema, hotRecords);
    console.log(
      `generated ${ROWS} rows in ${FILES} files (${(bytes / 1024 / 1024).toFixed(1)} MB zstd) ` +
        `+ ${HOT_ROWS} hot rows in ${((performance.now() - generated) / 1000).toFixed(1)} s; ` +
        `token index ${tokenIndexInfo(files[0]!.index).bytes} B/file`,
    );

    const engine = await createSearchEngine({
      tempDir: join(dir, 'tmp'),
      allowedDirectories: [dir],
      threads: THREADS,
    });
    const endTime = BASE + (ROWS + HOT_ROWS) * STEP;
    let rowRanges: Map<string, Array<[number, number]>> | undefined;
    const source = (paths: string[], withHot = false): StreamSource[] => [
      {
        name: 'default',
        schema,
        parquetFiles: paths,
        ...(withHot ? { tables: [hotTable] } : {}),
        ...(rowRanges === undefined ? {} : { rowRanges }),
      },
    ];
    const allPaths = files.map((f) => f.path);
    const fts = DEFAULT_FTS_FIELDS.filter((f) => schema.some((s) => s.name === f));

    async function measure(
      label: string,
      sql: string,
      paths: string[],
      extra: Partial<SearchQuery> = {},
      withHot = false,
    ): Promise<void> {
      const request: SearchQuery = { sql, startTime: BASE, endTime, size: -1, ...extra };
      const first = performance.now();
      const response = await engine.search(request, source(paths, withHot));
      const firstMs = performance.now() - first;
      const times: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        await engine.search(request, source(paths, withHot));
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(
        `${label.padEnd(44)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms  ` +
          `p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms  first ${firstMs.toFixed(0).padStart(5)} ms  ` +
          `files ${String(paths.length).padStart(2)}  hits ${response.hits.length}`,
      );
    }

    await measure('count(*)', 'SELECT count(*) FROM "default"', allPaths);
    await measure(
      'match_all common term (error)',
      `SELECT count(*) FROM "default" WHERE match_all('error')`,
      allPaths,
    );
    /** As the querier prunes: files the index rules out, row groups of the rest. */
    const pruned = async (sql: string): Promise<string[]> => {
      const analysis = await engine.analyze(sql);
      const terms = analysis.fullTextTerms[0]?.terms ?? [];
      const kept = files.filter((f) => terms.every((t) => tokenIndexMayMatch(f.index, t, fts)));
      rowRanges = new Map();
      for (const f of kept) {
        const ranges = tokenIndexRowRanges(f.index, terms, fts);
        if (ranges !== undefined) rowRanges.set(f.path, ranges);
      }
      const rows = kept.reduce(
        (n, f) => n + (rowRanges!.get(f.path)?.reduce((m, [a, b]) => m + b - a, 0) ?? perFile),
        0,
      );
      console.log(`  index keeps ${kept.length}/${FILES} files, ${rows} rows`);
      return kept.map((f) => f.path).filter((p) => rowRanges!.get(p)?.length !== 0);
    };
    for (const [label, term] of [
      ['rare term (1 hit)', RARE],
      ['rare term (10 hits)', RARE10],
    ] as const) {
      const rareSql = `SELECT * FROM "default" WHERE match_all('${term}')`;
      const countSql = `SELECT count(*) FROM "default" WHERE match_all('${term}')`;
      await measure(`${label} first 100, index off`, rareSql, allPaths, { size: 100 });
      const kept = await pruned(rareSql);
      await measure(`${label} first 100, index on`, rareSql, kept, { size: 100 });
      await measure(`${label} count, index on`, countSql, kept);
      rowRanges = undefined;
    }
    await measure(
      'group by kubernetes_namespace_name',
      'SELECT kubernetes_namespace_name AS k, count(*) AS n FROM "default" GROUP BY k ORDER BY n DESC',
      allPaths,
    );
    await measure(
      "histogram(_timestamp, '1 minute')",
      `SELECT histogram(_timestamp, '1 minute') AS zo_sql_key, count(*) AS zo_sql_num FROM "default" GROUP BY zo_sql_key ORDER BY zo_sql_key`,
      allPaths,
    );
    await measure(
      'SELECT * WHERE code = 200 LIMIT 100',
      'SELECT * FROM "default" WHERE code = 200',
      allPaths,
      { size: 100 },
    );
    await measure(
      'small: SELECT * WHERE code = 200, 1 file',
      'SELECT * FROM "default" WHERE code = 200',
      allPaths.slice(0, 1),
      { size: 100 },
    );
    await measure(
      'small: last 10 s, 1 file, LIMIT 100',
      'SELECT * FROM "default"',
      allPaths.slice(-1),
      { size: 100, startTime: BASE + (ROWS - 10_000) * STEP },
    );
    await measure(
      `count(*) files + ${HOT_ROWS} hot rows (cached)`,
      'SELECT count(*) FROM "default"',
      allPaths,
      {},
      true,
    );
    await engine.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
