// @o2/enrichment: O2's enrichment tables — CSV parsing, storage as an `enrichment_tables`
// stream, an in-memory per-org cache, and VRL's lookup functions over it.
export { parseCsv } from './parse-csv.js';
export type { CsvTable } from './parse-csv.js';
export { ENRICHMENT_TABLES, EnrichmentStore, versionOf } from './enrichment-store.js';
export type { EnrichmentStoreDeps, LoadedTable, TableSummary } from './enrichment-store.js';
export { EnrichmentCache } from './enrichment-cache.js';
export type { EnrichmentCacheOptions } from './enrichment-cache.js';
export { enrichmentFunctions } from './vrl-functions.js';
export type { EnrichmentTables } from './vrl-functions.js';
export { UrlJobs } from './url-jobs.js';
export type { UrlJob } from './url-jobs.js';
