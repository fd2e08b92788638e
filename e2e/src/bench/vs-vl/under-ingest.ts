import { QUERY_CASES, runQuery } from './bench-queries.js';
import type { TimeWindow } from './bench-queries.js';
import type { BenchServer } from './bench-servers.js';
import { ingestAll } from './bench-servers.js';

export const SEARCHERS = 8;

export interface UnderIngest {
  aloneP50: number;
  aloneP99: number;
  loadedP50: number;
  loadedP99: number;
  /** MB/s of request body while the searchers ran. */
  ingestMBs: number;
  searches: number;
  /** The server's CPU-seconds per search alone, and its cores busy in each phase (if asked). */
  cpuPerSearchAlone?: number;
  coresAlone?: number;
  coresLoaded?: number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** `SEARCHERS` loops over the table's queries until `done()` says stop (at least one pass each). */
async function searchLoops(
  server: BenchServer,
  window: TimeWindow,
  done: () => boolean,
): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: SEARCHERS }, async (_, worker) => {
      for (let i = 0; ; i++) {
        const query = QUERY_CASES[(worker + i) % QUERY_CASES.length]!;
        latencies.push((await runQuery(server, query, window)).ms);
        if (i + 1 >= QUERY_CASES.length && done()) return;
      }
    }),
  );
  return latencies;
}

/**
 * 8 concurrent searchers alone (one pass over the queries each), then the same searchers
 * looping while 4 clients ingest `bodies`: latency percentiles both ways and the ingest rate
 * kept under the search load.
 */
export async function searchesUnderIngest(
  server: BenchServer,
  window: TimeWindow,
  bodies: readonly Buffer[],
  clients: number,
  /** The server's CPU-seconds so far (user + system), for the cores each phase kept busy. */
  cpuSeconds?: () => number,
): Promise<UnderIngest> {
  const cpu0 = cpuSeconds?.();
  const t0 = performance.now();
  const alone = await searchLoops(server, window, () => true);
  const cpu1 = cpuSeconds?.();
  const t1 = performance.now();
  let ingesting = true;
  const ingest = ingestAll(server, bodies, clients).finally(() => (ingesting = false));
  const [loaded, seconds] = await Promise.all([
    searchLoops(server, window, () => !ingesting),
    ingest,
  ]);
  const cpu2 = cpuSeconds?.();
  const t2 = performance.now();
  const mb = bodies.reduce((sum, b) => sum + b.byteLength, 0) / 1024 / 1024;
  const cpu =
    cpu0 === undefined || cpu1 === undefined || cpu2 === undefined
      ? {}
      : {
          cpuPerSearchAlone: (cpu1 - cpu0) / alone.length,
          coresAlone: (cpu1 - cpu0) / ((t1 - t0) / 1000),
          coresLoaded: (cpu2 - cpu1) / ((t2 - t1) / 1000),
        };
  return {
    ...cpu,
    aloneP50: percentile(alone, 50),
    aloneP99: percentile(alone, 99),
    loadedP50: percentile(loaded, 50),
    loadedP99: percentile(loaded, 99),
    ingestMBs: mb / seconds,
    searches: loaded.length,
  };
}
