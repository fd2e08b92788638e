import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DEFAULT_FTS_FIELDS } from '@o2/domain';
import { encodeParquet, readParquet, readParquetMetadata } from '@o2/parquet';
import type { FlatRecord } from '@o2/schema';
import { generateK8sLogs } from '@o2/testing';
import { buildTokenIndex, tokenIndexMayMatch, tokenIndexRowRanges } from '@o2/token-index';
import { createSearchEngine } from '../index.js';
import type { StreamSource } from '../index.js';
import { flatK8sRecords, schemaOf, tableOf } from './k8s-fixture.js';

/*
 * The vs-VictoriaLogs bench's rare-term rows without the server: --rows k8s records (the same
 * seeded generator) in --files Parquet files of 16384-row groups, a rare term planted in 10
 * records, each file's token index built as `FileIndexPool` builds it. Per query, medians of
 * --runs: the index step (which files and row ranges) and the engine's search, in ms.
 * Usage: node packages/search/dist/bench/rare-term.bench.js [--rows 1000000 --files 18 --runs 9]
 *   [--keep DIR: build the files there once and reuse them on later runs]
 *   [--hot: also read a copy of the first file whole, as the querier reads a memtable's copy]
 */
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = arg('--rows', 1_000_000);
const FILES = arg('--files', 18);
const RUNS = arg('--runs', 9);
const TERM = 'zqxrare42';
const END = 1_800_000_000_000_000;
const START = END - 3600 * 1_000_000;
const FTS = [...DEFAULT_FTS_FIELDS];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const keepAt = process.argv.indexOf('--keep');
const KEEP = keepAt >= 0 ? process.argv[keepAt + 1] : undefined;

interface Dataset {
  files: Array<{ path: string; index: Uint8Array }>;
  schema: ReturnType<typeof schemaOf>;
  bytes: number;
}

const REINDEX = process.argv.includes('--reindex');
const HOT = process.argv.includes('--hot');

async function indexOf(path: string): Promise<Uint8Array> {
  if (!REINDEX) return new Uint8Array(await readFile(`${path}.tokens`));
  const bytes = new Uint8Array(await readFile(path));
  const rowGroups = (await readParquetMetadata(bytes)).rowGroups.map((g) => g.numRows);
  const index = buildTokenIndex(await readParquet(bytes), FTS, { rowGroups });
  await writeFile(`${path}.tokens`, index);
  return index;
}

async function reuse(dir: string): Promise<Dataset | undefined> {
  try {
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Omit<
      Dataset,
      'files'
    > & {
      paths: string[];
    };
    // --reindex: the same files, their indexes built again by the code under test.
    const files = await Promise.all(
      meta.paths.map(async (name) => {
        const path = join(dir, basename(name));
        return { path, index: await indexOf(path) };
      }),
    );
    return { files, schema: meta.schema, bytes: meta.bytes };
  } catch {
    return undefined;
  }
}

async function build(dir: string): Promise<Dataset> {
  const perFile = Math.ceil(ROWS / FILES);
  const rareAt = new Set(Array.from({ length: 10 }, (_, i) => Math.floor(((i + 0.5) * ROWS) / 10)));
  const files: Array<{ path: string; index: Uint8Array }> = [];
  let schema: ReturnType<typeof schemaOf> | undefined;
  let bytes = 0;
  for (let f = 0; f < FILES; f++) {
    const first = f * perFile;
    const count = Math.min(ROWS, first + perFile) - first;
    const span = END - START;
    const raw = generateK8sLogs({
      count,
      seed: 100_003 + f,
      time: {
        startMicros: START + Math.floor((first * span) / ROWS),
        endMicros: START + Math.floor(((first + count) * span) / ROWS),
      },
    });
    let pending = 0;
    raw.forEach((record, i) => {
      if (rareAt.has(first + i)) pending++;
      if (pending > 0 && typeof record['log'] === 'string') {
        record['log'] = `${record['log']} ${TERM} `;
        pending--;
      }
    });
    const records: FlatRecord[] = flatK8sRecords(raw, { baseMicros: START, stepMicros: 0 });
    schema ??= schemaOf(records);
    const encoded = encodeParquet(tableOf(schema, records), { rowGroupSize: 16_384 });
    const path = join(dir, `f${f}.parquet`);
    await writeFile(path, encoded.bytes);
    bytes += encoded.bytes.length;
    const rowGroups = (await readParquetMetadata(encoded.bytes)).rowGroups.map((g) => g.numRows);
    const back = await readParquet(encoded.bytes);
    const index = buildTokenIndex(back, FTS, { rowGroups });
    await writeFile(`${path}.tokens`, index);
    files.push({ path, index });
  }
  const paths = files.map((f) => f.path);
  await writeFile(join(dir, 'meta.json'), JSON.stringify({ paths, schema, bytes }));
  return { files, schema: schema!, bytes };
}

async function main(): Promise<void> {
  const dir = KEEP ?? (await mkdtemp(join(tmpdir(), 'o2ts-rare-bench-')));
  await mkdir(dir, { recursive: true });
  try {
    const { files, schema, bytes } = (await reuse(dir)) ?? (await build(dir));
    if (HOT) await writeFile(join(dir, 'hot.parquet'), await readFile(files[0]!.path));
    const indexBytes = files.reduce((n, f) => n + f.index.length, 0);
    console.log(
      `${ROWS} rows, ${FILES} files: ${(bytes / 1048576).toFixed(1)} MB, ` +
        `indexes ${(indexBytes / 1048576).toFixed(2)} MB; load ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
    );
    const engine = await createSearchEngine({
      tempDir: join(dir, 'tmp'),
      allowedDirectories: [dir],
      threads: 2,
    });
    const sourceFor = (terms: readonly string[]): StreamSource[] => {
      const rowRanges = new Map<string, Array<[number, number]>>();
      const kept: string[] = [];
      for (const f of files) {
        if (!terms.every((t) => tokenIndexMayMatch(f.index, t))) continue;
        const ranges = tokenIndexRowRanges(f.index, terms);
        if (ranges?.length === 0) continue;
        if (ranges !== undefined) rowRanges.set(f.path, ranges);
        kept.push(f.path);
      }
      if (HOT) kept.push(join(dir, 'hot.parquet'));
      return [{ name: 'default', schema: schema, parquetFiles: kept, rowRanges }];
    };
    const queries: Array<[string, string, number]> = [
      ['rare count', `SELECT count(*) AS n FROM "default" WHERE match_all('${TERM}')`, -1],
      [
        'rare first 100',
        `SELECT * FROM "default" WHERE match_all('${TERM}') ORDER BY _timestamp DESC`,
        100,
      ],
    ];
    for (const [label, sql, size] of queries) {
      const indexMs: number[] = [];
      const searchMs: number[] = [];
      const cpuMs: number[] = [];
      let answer = '';
      for (let r = 0; r <= RUNS; r++) {
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        const sources = sourceFor([TERM]);
        const t1 = performance.now();
        const response = await engine.search(
          { sql, startTime: START, endTime: END, size },
          sources,
        );
        const t2 = performance.now();
        const used = process.cpuUsage(cpu);
        if (r === 0) continue; // the first run decodes the indexes (the querier caches them)
        indexMs.push(t1 - t0);
        searchMs.push(t2 - t1);
        cpuMs.push((used.user + used.system) / 1000);
        answer = `${response.hits.length} hits, ${JSON.stringify(response.hits[0]).slice(0, 60)}`;
      }
      console.log(
        `${label.padEnd(16)} index ${median(indexMs).toFixed(1)} ms, search ${median(searchMs).toFixed(1)} ms, ` +
          `process CPU ${median(cpuMs).toFixed(1)} ms  (${answer})`,
      );
    }
    await engine.close();
  } finally {
    if (KEEP === undefined) await rm(dir, { recursive: true, force: true });
  }
}

await main();
