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
  },
} as const;
