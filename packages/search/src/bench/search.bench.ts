import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlatRecord } from '@o2/schema';
import { encodeParquet } from '@o2/parquet';
import { buildTokenIndex, tokenIndexInfo, tokenIndexMayMatch } from '@o2/token-index';
import { createSearchEngine, DEFAULT_FTS_FIELDS } from '../index.js';
import type { SearchQuery } from '@o2/domain';
import type { StreamField, StreamSource } from '../index.js';
import { flatK8sRecords, k8sLogSample, schemaOf, tableOf } from './k8s-fixture.js';

/*
 * p50/p95 of the query set over k8slog-shaped rows in Parquet files made here. Usage:
 *   pnpm --filter @o2/search bench [-- --rows 1000000 --files 8 --runs 15 --threads 2]
 * One file gets a rare token so match_all of it shows what the token index prunes.
 */

const ROWS = Number(argValue('--rows') ?? 1_000_000);
const FILES = Number(argValue('--files') ?? 8);
const RUNS = Number(argValue('--runs') ?? 15);
const THREADS = Number(argValue('--threads') ?? 2);
const HOT_ROWS = 20_000;
const BASE = 1_700_000_000_000_000;
const STEP = 1000; // 1 ms between rows: 1M rows span ~17 minutes
const RARE = 'quokka_7f3a';

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
        records.push({ ...record, _timestamp: ts, log });
      }
      const table = tableOf(schema, records);
      const encoded = encodeParquet(table);
      const path = join(dir, `part-${f}.parquet`);
      await writeFile(path, encoded.bytes);
      bytes += encoded.bytes.length;
      files.push({ path, index: buildTokenIndex(table, ['log', 'message']) });
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
    const source = (paths: string[], withHot = false): StreamSource[] => [
      { name: 'default', schema, parquetFiles: paths, ...(withHot ? { tables: [hotTable] } : {}) },
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
    const rareSql = `SELECT * FROM "default" WHERE match_all('${RARE}')`;
    const analysis = await engine.analyze(rareSql);
    const terms = analysis.fullTextTerms[0]?.terms ?? [];
    const kept = files.filter((f) => terms.every((t) => tokenIndexMayMatch(f.index, t, fts)));
    await measure('match_all rare term, index off', rareSql, allPaths, { size: 100 });
    await measure(
      `match_all rare term, index on (${FILES - kept.length} pruned)`,
      rareSql,
      kept.map((f) => f.path),
      { size: 100 },
    );
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
