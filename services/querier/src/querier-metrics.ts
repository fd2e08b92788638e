import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** Stages of one search on its leader: SQL analysis, gathering sources, DuckDB, the whole. */
export type QueryStage = 'analyze' | 'resolve' | 'execute' | 'total';

export interface QuerierMetrics {
  /** Starts timing `stage`; call the result when it ends. */
  stage(stage: QueryStage): () => void;
  /** One file-cache lookup: already on local disk (hit) or downloaded now (miss). */
  fileCache(hit: boolean): void;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The querier's metrics in the process registry (no-ops without one). */
export function querierMetrics(registry: Registry | undefined): QuerierMetrics {
  if (registry === undefined) return { stage: () => () => undefined, fileCache: () => undefined };
  const duration = new Histogram({
    name: 'zo_query_duration_seconds',
    help: 'Search latency on the leading querier, by stage (analyze, resolve, execute, total).',
    labelNames: ['stage'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const cache = new Counter({
    name: 'zo_query_file_cache_total',
    help: 'File cache lookups of stored Parquet files, by result (hit: on disk, miss: downloaded).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  for (const result of ['hit', 'miss']) cache.inc({ result }, 0);
  return {
    stage: (stage) => {
      const end = duration.startTimer({ stage });
      return () => {
        end();
      };
    },
    fileCache: (hit) => cache.inc({ result: hit ? 'hit' : 'miss' }),
  };
}
