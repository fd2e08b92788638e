import { totalmem } from 'node:os';
import type { Config } from '@o2/config';

const MB = 1024 * 1024;

/**
 * DuckDB's `memory_limit` in MB. DuckDB's own default is 80 % of RAM, which on a node that also
 * holds memtables, encoders and Node's heap lets one large query push the process into the OOM
 * killer; past this limit DuckDB spills sorts, joins and aggregates to its temp directory
 * instead. 10 % of RAM keeps the queries of a small box (1 M rows) entirely in memory.
 */
export function queryMemoryLimitMb(
  config: Pick<Config, 'ZO_MEMORY_CACHE_DATAFUSION_MAX_SIZE'>,
  totalBytes = totalmem(),
): number {
  if (config.ZO_MEMORY_CACHE_DATAFUSION_MAX_SIZE > 0)
    return config.ZO_MEMORY_CACHE_DATAFUSION_MAX_SIZE;
  return Math.max(256, Math.floor((totalBytes * 0.1) / MB));
}
