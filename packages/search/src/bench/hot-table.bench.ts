import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { createSearchEngine } from '../index.js';
import { flatK8sRecords, k8sLogSample, schemaOf, tableOf } from './k8s-fixture.js';

/*
 * What a query over hot (memtable) rows costs when every query brings a new copy of them (the
 * ingester's snapshot before it reused unchanged copies) against the same copy again, which the
 * engine turns into Parquet once. Alternating rounds, medians in ms. Usage:
 *   node packages/search/dist/bench/hot-table.bench.js [--rows 20000 --runs 9]
 */
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROWS = arg('--rows', 20_000);
const RUNS = arg('--runs', 9);
const BASE = 1_700_000_000_000_000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'o2ts-hot-bench-'));
  try {
    const sample = flatK8sRecords(k8sLogSample(), { baseMicros: BASE, stepMicros: 1000 });
    const schema = schemaOf(sample);
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      ...sample[i % sample.length]!,
      _timestamp: BASE + i * 1000,
    }));
    const table = tableOf(schema, rows);
    const bytes = tableToIPC(table);
    const engine = await createSearchEngine({ tempDir: join(dir, 'tmp'), threads: 2 });
    const request = {
      sql: `SELECT count(*) FROM "default" WHERE match_all('error')`,
      startTime: BASE,
      endTime: BASE + ROWS * 1000,
    };
    const run = async (hot: Table): Promise<number> => {
      const t = performance.now();
      await engine.search(request, [{ name: 'default', schema, parquetFiles: [], tables: [hot] }]);
      return performance.now() - t;
    };
    const fresh: number[] = [];
    const reused: number[] = [];
    await run(table);
    for (let r = 0; r < RUNS; r++) {
      fresh.push(await run(tableFromIPC(bytes))); // a new Table each query, as before
      reused.push(await run(table));
    }
    console.log(
      `${ROWS} hot rows, match_all count: new copy per query ${median(fresh).toFixed(1)} ms, ` +
        `same copy ${median(reused).toFixed(1)} ms (median of ${RUNS})`,
    );
    await engine.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
