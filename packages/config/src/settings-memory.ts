import { int } from './setting-types.js';

/** The memory budget section of the settings (apart so `settings-schema.ts` stays short). */
export const MEMORY_SETTINGS = {
  title: 'Memory',
  shape: {
    ZO_MEMORY_CACHE_DATAFUSION_MAX_SIZE: int(
      0,
      "MB the query engine (DuckDB's memory_limit) may hold before it spills to ZO_DATA_TMP_DIR (0: 10 % of RAM, at least 256 MB).",
      { min: 0 },
    ),
    ZO_MEM_TABLE_BUDGET: int(
      256,
      'MB of rows all memtables together may hold before ingest waits for a persist: past half of it a persist starts early; past all of it a request waits (at most 5 s, then 503 with Retry-After) until a persist frees room. Within ZO_MEM_TABLE_MAX_SIZE; 0 leaves only that cap. A quarter of it (at least 8 MB) bounds the rows one persist encodes as one file and one upload merge decodes, four times that the rows one compactor merge decodes, which bounds the memory encoding and merging take beside the memtables.',
      { min: 0 },
    ),
  },
} as const;
