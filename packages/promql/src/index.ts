export type * from './ast/ast.js';
export { parsePromql } from './parser/parse.js';
export { PromqlEngine } from './eval/engine.js';
export type {
  EngineOptions,
  InstantSample,
  MatrixSeries,
  QueryData,
  QueryResult,
} from './eval/engine.js';
export { Labels, METRIC_NAME, compareLabels } from './labels/labels.js';
export type { Label } from './labels/labels.js';
export type { Matcher, MatchType } from './labels/matcher.js';
export { CompiledMatcher, matchesAll } from './labels/matcher.js';
export type { SeriesData, SeriesSource, SelectRange } from './storage/series-source.js';
export { MemorySeriesSource } from './storage/memory-series-source.js';
export type { SampleInput } from './storage/memory-series-source.js';
export { formatFloatPlain } from './format/format-float.js';
export type { Bucket, CounterResetHint, FloatHistogram } from './histogram/histogram.js';
export { CUSTOM_BUCKETS_SCHEMA, ascendingBuckets, histogramString } from './histogram/histogram.js';
export type { BucketRange } from './histogram/histogram.js';
export { histogramFromStored } from './histogram/stored.js';
export type { StoredBucketSpan, StoredHistogramShape } from './histogram/stored.js';
export { parseHistogramLiteral } from './histogram/notation.js';
export { formatExpr, prettyExpr } from './format/format-expr.js';
