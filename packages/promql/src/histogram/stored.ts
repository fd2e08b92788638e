import { CUSTOM_BUCKETS_SCHEMA } from './histogram.js';
import type { Bucket, CounterResetHint, FloatHistogram } from './histogram.js';

/** A run of `length` consecutive buckets starting `offset` indexes after the previous run. */
export interface StoredBucketSpan {
  readonly offset: number;
  readonly length: number;
}

/**
 * The stored form of a native histogram sample (structurally the metric stream model's
 * `StoredNativeHistogram`, declared here because this package imports no storage model):
 * absolute bucket counts laid out by spans, as Prometheus's remote write spans describe them.
 */
export interface StoredHistogramShape {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly count: number;
  readonly sum: number;
  readonly positiveSpans: readonly StoredBucketSpan[];
  readonly positiveBuckets: readonly number[];
  readonly negativeSpans: readonly StoredBucketSpan[];
  readonly negativeBuckets: readonly number[];
  readonly counterResetHint?: CounterResetHint | undefined;
  readonly customValues?: readonly number[] | undefined;
}

function fromSpans(
  spans: readonly StoredBucketSpan[],
  counts: readonly number[],
  side: string,
): Bucket[] {
  const out: Bucket[] = [];
  let index = 0;
  let k = 0;
  for (const span of spans) {
    // The first span's offset is the first bucket's index; later ones are gaps after the last.
    index += span.offset;
    for (let j = 0; j < span.length; j++) {
      if (k >= counts.length) throw new Error(`${side} spans cover more buckets than stored`);
      out.push({ i: index, c: counts[k++]! });
      index++;
    }
  }
  if (k !== counts.length) throw new Error(`${side} spans cover fewer buckets than stored`);
  return out;
}

/** Converts a stored native histogram into the engine's histogram sample; throws on bad spans. */
export function histogramFromStored(s: StoredHistogramShape): FloatHistogram {
  const custom = s.schema === CUSTOM_BUCKETS_SCHEMA;
  if (custom && !s.customValues) throw new Error('custom bucket histogram without custom values');
  return {
    schema: s.schema,
    zeroThreshold: s.zeroThreshold,
    zeroCount: s.zeroCount,
    count: s.count,
    sum: s.sum,
    pos: fromSpans(s.positiveSpans, s.positiveBuckets, 'positive'),
    neg: fromSpans(s.negativeSpans, s.negativeBuckets, 'negative'),
    hint: s.counterResetHint ?? 'unknown',
    customValues: custom ? [...s.customValues!] : undefined,
  };
}
