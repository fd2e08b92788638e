import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFileIndexes, decodeFileFacets } from '@o2/token-index';
import { createSearchEngine } from '../index.js';
import type { FileFacets, StreamSource } from '../index.js';
import { flatK8sRecords, k8sLogSample, schemaOf, writeParquet } from './k8s-fixture.js';

/*
 * The issue-16 count shapes over `--rows` k8s rows in `--files` stored files, with and without
 * the files' facets (`countFromFacets`), interleaved A/B so load drifts hit both alike. Prints
 * the median wall ms and the median process CPU ms (DuckDB's threads included) per query. Usage:
 *   node packages/search/dist/bench/facet-count.bench.js [--rows 1000000 --files 15 --runs 15]
 */
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = arg('--rows', 1_000_000);
const FILES = arg('--files', 15);
const RUNS = arg('--runs', 15);
const BASE = 1_700_000_000_000_000;
const STEP = 1000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const QUERIES: Record<string, string> = {
  'count by namespace':
    'SELECT kubernetes_namespace_name AS k, count(*) AS n FROM s GROUP BY k ORDER BY n DESC',
  '`code = 200` count': 'SELECT count(*) AS n FROM s WHERE code = 200',
  'histogram 1 minute':
    "SELECT histogram(_timestamp, '1 minute') AS k, count(*) AS n FROM s GROUP BY k ORDER BY k",
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'o2ts-facet-bench-'));
  try {
    const sample = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: 0 });
    const schema = schemaOf(sample);
    const perFile = Math.ceil(ROWS / FILES);
    const files: string[] = [];
    const facets = new Map<string, FileFacets>();
    let facetBytes = 0;
    let fileBytes = 0;
    for (let f = 0; f < FILES; f++) {
      const records = [];
      for (let i = f * perFile; i < Math.min(ROWS, (f + 1) * perFile); i++)
        records.push({ ...sample[i % sample.length]!, _timestamp: BASE + i * STEP });
      const file = await writeParquet(dir, `part-${f}`, schema, records, 16384);
      const body = await readFile(file);
      const built = await buildFileIndexes(body, {
        type: 'logs',
        settings: {},
        invertedIndex: false,
      });
      facetBytes += built.facets?.byteLength ?? 0;
      fileBytes += body.byteLength;
      facets.set(file, decodeFileFacets(built.facets!)!);
      files.push(file);
    }
    console.log(`facets ${facetBytes} bytes for ${fileBytes} bytes of Parquet`);
    const engine = await createSearchEngine({
      tempDir: join(dir, 'tmp'),
      allowedDirectories: [dir],
      threads: 2,
    });
    const plain: StreamSource = { name: 's', schema, parquetFiles: files, tables: [] };
    const faceted: StreamSource = { ...plain, facets: (f) => Promise.resolve(facets.get(f)) };
    const request = (sql: string) => ({ sql, startTime: BASE, endTime: BASE + ROWS * STEP });
    try {
      for (const [name, sql] of Object.entries(QUERIES)) {
        const time = { plain: [] as number[], faceted: [] as number[] };
        const cpu = { plain: [] as number[], faceted: [] as number[] };
        const a = await engine.search(request(sql), [plain]); // caches warm
        const b = await engine.search(request(sql), [faceted]);
        if (JSON.stringify(a.hits) !== JSON.stringify(b.hits)) throw new Error(`${name} differs`);
        for (let run = 0; run < RUNS; run++) {
          for (const [kind, source] of [
            ['plain', plain],
            ['faceted', faceted],
          ] as const) {
            const started = performance.now();
            const used = process.cpuUsage();
            await engine.search(request(sql), [source]);
            const spent = process.cpuUsage(used);
            time[kind].push(performance.now() - started);
            cpu[kind].push((spent.user + spent.system) / 1000);
          }
        }
        const line = (kind: 'plain' | 'faceted') =>
          `${kind} ${median(time[kind]).toFixed(1)} ms (cpu ${median(cpu[kind]).toFixed(1)} ms)`;
        console.log(`${name.padEnd(20)} ${line('plain')}  ${line('faceted')}`);
      }
    } finally {
      await engine.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
