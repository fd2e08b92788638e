import { AppError } from '@o2/errors';
import type { BucketSpan, StoredNativeHistogram } from '@o2/metrics';
import { prometheus } from '@o2/proto';

/** Schema number of native histograms with custom bucket bounds (NHCB). */
export const CUSTOM_BUCKETS_SCHEMA = -53;
/** The exponential schemas Prometheus defines: bucket bases 2^16 (-4) down to 2^(1/256) (8). */
const MIN_EXPONENTIAL_SCHEMA = -4;
const MAX_EXPONENTIAL_SCHEMA = 8;

const RESET_HINTS: Record<
  prometheus.Histogram_ResetHint,
  NonNullable<StoredNativeHistogram['counterResetHint']>
> = {
  [prometheus.Histogram_ResetHint.UNKNOWN]: 'unknown',
  [prometheus.Histogram_ResetHint.YES]: 'reset',
  [prometheus.Histogram_ResetHint.NO]: 'not_reset',
  [prometheus.Histogram_ResetHint.GAUGE]: 'gauge',
};

function spansOf(spans: readonly prometheus.BucketSpan[]): BucketSpan[] {
  return spans.map((span) => ({ offset: span.offset, length: span.length }));
}

function bucketsCovered(spans: readonly BucketSpan[]): number {
  let total = 0;
  for (const span of spans) total += span.length;
  return total;
}

/**
 * One side's absolute bucket counts: integer histograms send deltas (each bucket minus the one
 * before, the first against 0), float histograms absolute counts. The spans must cover exactly
 * as many buckets as there are counts, or the histogram is malformed.
 */
function absoluteCounts(
  spans: readonly BucketSpan[],
  deltas: readonly bigint[],
  counts: readonly number[],
  isFloat: boolean,
  side: string,
): number[] {
  let out: number[];
  if (isFloat) out = [...counts];
  else {
    out = new Array<number>(deltas.length);
    let running = 0n;
    for (let i = 0; i < deltas.length; i++) {
      running += deltas[i] ?? 0n;
      if (running < 0n) throw AppError.invalidArgument(`negative ${side} bucket count`);
      out[i] = Number(running);
    }
  }
  if (out.length !== bucketsCovered(spans)) {
    throw AppError.invalidArgument(
      `${side} spans cover ${bucketsCovered(spans)} buckets but ${out.length} counts were sent`,
    );
  }
  return out;
}

/**
 * A wire histogram as O2TS stores it: absolute bucket counts, plain numbers. Throws
 * INVALID_ARGUMENT for a malformed one (spans and counts disagree, a delta run below zero,
 * custom bounds on an exponential schema); the decoder counts and skips it.
 */
export function storedNativeHistogram(wire: prometheus.Histogram): StoredNativeHistogram {
  const exponential =
    wire.schema >= MIN_EXPONENTIAL_SCHEMA && wire.schema <= MAX_EXPONENTIAL_SCHEMA;
  if (!exponential && wire.schema !== CUSTOM_BUCKETS_SCHEMA)
    throw AppError.invalidArgument(`unsupported native histogram schema ${wire.schema}`);
  const isFloat = wire.count.case === 'countFloat';
  const count = wire.count.case === undefined ? 0 : Number(wire.count.value);
  const zeroCount = wire.zeroCount.case === undefined ? 0 : Number(wire.zeroCount.value);
  const positiveSpans = spansOf(wire.positiveSpans);
  const negativeSpans = spansOf(wire.negativeSpans);
  const stored: StoredNativeHistogram = {
    schema: wire.schema,
    zeroThreshold: wire.zeroThreshold,
    zeroCount,
    count,
    sum: wire.sum,
    positiveSpans,
    positiveBuckets: absoluteCounts(
      positiveSpans,
      wire.positiveDeltas,
      wire.positiveCounts,
      isFloat,
      'positive',
    ),
    negativeSpans,
    negativeBuckets: absoluteCounts(
      negativeSpans,
      wire.negativeDeltas,
      wire.negativeCounts,
      isFloat,
      'negative',
    ),
    counterResetHint: RESET_HINTS[wire.resetHint] ?? 'unknown',
  };
  if (wire.schema === CUSTOM_BUCKETS_SCHEMA) {
    if (stored.negativeBuckets.length > 0)
      throw AppError.invalidArgument('custom-bucket histogram with negative buckets');
    stored.customValues = [...wire.customValues];
  } else if (wire.customValues.length > 0) {
    throw AppError.invalidArgument('custom bucket bounds on an exponential histogram');
  }
  return stored;
}
