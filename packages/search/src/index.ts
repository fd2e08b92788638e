export { createSearchEngine, SearchEngine } from './search-engine.js';
export type { SearchEngineOptions } from './search-engine.js';
export type { QueryAnalysis, StreamTerms } from './analyze-query.js';
export { DEFAULT_QUERY_LIMIT, QUERY_WITH_NO_LIMIT } from './types.js';
export type {
  Hit,
  NumericList,
  RemotePartials,
  RemoteScan,
  LateRows,
  SearchOptions,
  SearchResponse,
  StreamField,
  StreamFieldType,
  StreamRef,
  StreamSettings,
  StreamSource,
  TookDetail,
} from './types.js';
export { SEARCH_ERROR, SearchErrorCause, searchError, searchErrorCode } from './search-error.js';
export type { SearchErrorCode } from './search-error.js';
export { DEFAULT_FTS_FIELDS, normalizeMatchAllTerm } from './o2-functions.js';
export {
  autoHistogramInterval,
  parseHistogramInterval,
  snapHistogramInterval,
} from './histogram-interval.js';
export { DEFAULT_VALUES_SIZE, parseValuesFilter, valuesQuery } from './values-query.js';
export type { ValuesQueryInput } from './values-query.js';
export { decodeSql } from './decode-sql.js';
export { formatTimestampMicros } from './rows-to-hits.js';
export { clocked, withStageClock } from './stage-clock.js';
export type { PartialResult, PartialRows } from './partial-rows.js';
export type { StageTimes } from './stage-clock.js';
export type { ListedFileStats } from './versioned-cache.js';
