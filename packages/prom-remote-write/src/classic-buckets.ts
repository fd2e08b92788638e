import type { BucketSpan, StoredNativeHistogram } from '@o2/metrics';
import { CUSTOM_BUCKETS_SCHEMA } from './stored-native-histogram.js';

/** One classic `_bucket` series point: upper bound label and cumulative count. */
export interface ClassicBucket {
  le: string;
  value: number;
}

/** Calls `visit(index, count)` for every bucket the spans cover, in index order. */
function eachBucket(
  spans: readonly BucketSpan[],
  counts: readonly number[],
  visit: (index: number, count: number) => void,
): void {
  let index = 0;
  let at = 0;
  for (const span of spans) {
    index += span.offset;
    for (let j = 0; j < span.length; j++, index++, at++) visit(index, counts[at] ?? 0);
  }
}

function add(into: Map<number, number>, upper: number, count: number): void {
  into.set(upper, (into.get(upper) ?? 0) + count);
}

/**
 * Non-cumulative counts per upper bound after merging each run of 2^level adjacent buckets
 * (level 0 = the native resolution). Exponential buckets merge exactly like Prometheus's own
 * schema reduction: level L keeps the boundaries 2^(m·2^-schema) whose m is a multiple of 2^L,
 * and every bucket moves up to the nearest kept boundary above it (below it in magnitude on the
 * negative side, whose upper bound is the bucket's smaller magnitude). Custom buckets keep
 * every 2^L-th bound. A bound that overflows to +Inf folds into the +Inf bucket.
 */
function bucketsAtLevel(h: StoredNativeHistogram, level: number): Map<number, number> {
  const step = 2 ** level;
  const out = new Map<number, number>();
  if (h.schema === CUSTOM_BUCKETS_SCHEMA) {
    const bounds = h.customValues ?? [];
    eachBucket(h.positiveSpans, h.positiveBuckets, (index, count) => {
      const kept = Math.ceil((index + 1) / step) * step - 1;
      add(out, kept < bounds.length ? (bounds[kept] ?? Infinity) : Infinity, count);
    });
    return out;
  }
  const width = 2 ** -h.schema;
  eachBucket(h.negativeSpans, h.negativeBuckets, (index, count) => {
    const m = Math.floor((index - 1) / step) * step;
    add(out, -(2 ** (m * width)), count);
  });
  if (h.zeroCount > 0 || h.zeroThreshold > 0) add(out, h.zeroThreshold, h.zeroCount);
  eachBucket(h.positiveSpans, h.positiveBuckets, (index, count) => {
    const m = Math.ceil(index / step) * step;
    add(out, 2 ** (m * width), count);
  });
  return out;
}

function finiteBounds(buckets: Map<number, number>): number[] {
  return [...buckets.keys()].filter((upper) => upper !== Infinity).sort((a, b) => a - b);
}

/** Prometheus's spelling of a bucket bound. */
export function formatLe(upper: number): string {
  if (upper === Infinity) return '+Inf';
  return String(upper === 0 ? 0 : upper);
}

/** Merging 2^64 buckets into one is far past the widest float range at any schema. */
const MAX_LEVEL = 64;

/**
 * A native histogram as O2's classic `_bucket{le}` points (cumulative, ascending, ending with
 * `+Inf` = the observation count), at most `maxBuckets` of them (+Inf included). When the
 * native resolution gives more, adjacent buckets are merged at the coarsest needed level (see
 * `bucketsAtLevel`). Every kept bound is a real boundary of the native histogram, so its
 * cumulative count is exact, and a bound's `le` series is the same whichever level a sample
 * needed: `rate()` over one `le` stays correct while other bounds come and go.
 */
export function classicBuckets(h: StoredNativeHistogram, maxBuckets: number): ClassicBucket[] {
  if (maxBuckets < 1) return [];
  let chosen: { buckets: Map<number, number>; bounds: number[] } | undefined;
  for (let level = 0; level <= MAX_LEVEL && chosen === undefined; level++) {
    const buckets = bucketsAtLevel(h, level);
    const bounds = finiteBounds(buckets);
    if (bounds.length + 1 <= maxBuckets) chosen = { buckets, bounds };
  }
  const out: ClassicBucket[] = [];
  if (chosen !== undefined) {
    let cumulative = 0;
    for (const upper of chosen.bounds) {
      cumulative += chosen.buckets.get(upper) ?? 0;
      out.push({ le: formatLe(upper), value: cumulative });
    }
  }
  out.push({ le: '+Inf', value: h.count });
  return out;
}
