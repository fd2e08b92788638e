import { availableParallelism } from 'node:os';
import type { Config } from '@o2/config';

/**
 * Search statements DuckDB runs at once (the engine's `RunGate`). One statement already uses
 * every DuckDB thread, so by default as many run at once as there are threads: more only add
 * runnable threads that take CPU from ingest's event loop, and hold libuv threads the WAL needs.
 */
export function engineConcurrency(
  config: Pick<Config, 'ZO_QUERY_ENGINE_CONCURRENCY' | 'ZO_QUERY_THREAD_NUM'>,
  cpus = availableParallelism(),
): number {
  if (config.ZO_QUERY_ENGINE_CONCURRENCY > 0) return config.ZO_QUERY_ENGINE_CONCURRENCY;
  return config.ZO_QUERY_THREAD_NUM > 0 ? config.ZO_QUERY_THREAD_NUM : cpus;
}
