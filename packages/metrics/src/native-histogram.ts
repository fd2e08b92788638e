/**
 * How a Prometheus native histogram sample is stored (beyond O2, which only keeps the classic
 * `_count`/`_sum`/`_bucket` expansion): a row in the metric's own stream with `value` = the
 * observation count and `NATIVE_HISTOGRAM_COLUMN` = this object as JSON text. Remote write
 * decodes into it, the PromQL series source parses it back for the engine.
 */
export const NATIVE_HISTOGRAM_COLUMN = '__histogram__';

/** A run of `length` consecutive buckets starting `offset` indexes after the previous run. */
export interface BucketSpan {
  offset: number;
  length: number;
}

export interface StoredNativeHistogram {
  /** Resolution: bucket boundaries are powers of 2^(2^-schema); -53 = custom bounds (NHCB). */
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  positiveSpans: BucketSpan[];
  /** Absolute bucket counts (not the wire's deltas), one per bucket the spans cover. */
  positiveBuckets: number[];
  negativeSpans: BucketSpan[];
  negativeBuckets: number[];
  counterResetHint?: 'unknown' | 'reset' | 'not_reset' | 'gauge';
  /** Upper bounds of the custom buckets when `schema` is -53. */
  customValues?: number[];
}
