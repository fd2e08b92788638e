import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSearchEngine } from '../index.js';
import type { StreamSource } from '../index.js';
import { flatK8sRecords, k8sLogSample, schemaOf, writeParquet } from './k8s-fixture.js';

/*
 * A cluster worker's share of the bench's queries without the cluster: `engine.partial` (the
 * ScanService path: check the leader's SQL, bind the files, narrow, answer as Parquet) over
 * `--rows` rows in `--files` files, for the partial SQL each query shape sends. Medians in ms,
 * wall and the process's CPU (every DuckDB thread's too: steadier than wall on a loaded box).
 * A 1 M-record cluster of 2 queriers gives each worker ~500k rows. Usage:
 *   node packages/search/dist/bench/split-partial.bench.js [--rows 500000 --files 6 --runs 15]
 */
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = arg('--rows', 500_000);
const FILES = arg('--files', 6);
const RUNS = arg('--runs', 15);
const BASE = 1_700_000_000_000_000;
const STEP = 1000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The partials the leader sends for the bench's query shapes (see `split-plan.ts`). */
const PARTIALS: Record<string, string> = {
  'count(*)': 'SELECT count(*) AS __o2_p0 FROM s',
  'newest 100': 'SELECT * FROM s ORDER BY _timestamp DESC LIMIT 100',
  'count by namespace':
    'SELECT kubernetes_namespace_name AS __o2_k0, count(*) AS __o2_p0 FROM s GROUP BY 1',
  '`code = 200` count': 'SELECT count(*) AS __o2_p0 FROM s WHERE code = 200',
  // Past the 512 rows a partial answers as text: the Parquet answer.
  'count per 0.1 s (thousands of groups)':
    'SELECT _timestamp // 100000 AS __o2_k0, count(*) AS __o2_p0 FROM s GROUP BY 1',
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'o2ts-partial-bench-'));
  try {
    const sample = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: 0 });
    const schema = schemaOf(sample);
    const perFile = Math.ceil(ROWS / FILES);
    const files: string[] = [];
    for (let f = 0; f < FILES; f++) {
      const records = [];
      for (let i = f * perFile; i < Math.min(ROWS, (f + 1) * perFile); i++)
        records.push({ ...sample[i % sample.length]!, _timestamp: BASE + i * STEP });
      files.push(await writeParquet(dir, `part-${f}`, schema, records, 16384));
    }
    const engine = await createSearchEngine({
      tempDir: join(dir, 'tmp'),
      allowedDirectories: [dir],
      threads: 2,
    });
    const source: StreamSource = { name: 's', schema, parquetFiles: files, tables: [] };
    const range = { startTime: BASE, endTime: BASE + ROWS * STEP };
    try {
      for (const [name, sql] of Object.entries(PARTIALS)) {
        await engine.partial(sql, range, source); // footer facts and DuckDB's caches warm
        const times: number[] = [];
        const cpu: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          const started = performance.now();
          const used = process.cpuUsage();
          await engine.partial(sql, range, source);
          const spent = process.cpuUsage(used);
          times.push(performance.now() - started);
          cpu.push((spent.user + spent.system) / 1000);
        }
        const [wall, cpuMs] = [median(times).toFixed(1), median(cpu).toFixed(1)];
        console.log(`${name.padEnd(22)} median ${wall} ms, CPU ${cpuMs} ms`);
      }
    } finally {
      await engine.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
