import { kahanSumInc } from '../functions/kahan.js';
import { ascendingBuckets, usesCustomBuckets } from './histogram.js';
import type { BucketRange, FloatHistogram } from './histogram.js';

/**
 * A zero bucket that only borders buckets on one side is assumed to hold observations on that
 * side only, as Prometheus assumes.
 */
function clampZeroBucket(h: FloatHistogram, b: BucketRange): void {
  if (!b.zero) return;
  if (h.neg.length === 0 && h.pos.length > 0) b.lower = 0;
  else if (h.pos.length === 0 && h.neg.length > 0) b.upper = 0;
}

/**
 * The q-quantile of a native histogram: linear interpolation inside custom and zero buckets,
 * exponential (log-scale) interpolation inside exponential buckets.
 */
export function nativeQuantile(q: number, h: FloatHistogram): number {
  if (h.count === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  let rank = q * h.count;
  let count = 0;
  let bucket: BucketRange | undefined;
  for (const b of ascendingBuckets(h)) {
    if (b.count === 0) continue;
    bucket = b;
    count += b.count;
    if (count >= rank) break;
  }
  if (!bucket) return NaN;
  const custom = usesCustomBuckets(h);
  if (!custom) clampZeroBucket(h, bucket);
  if (bucket.lower === -Infinity) {
    // The lowest custom bucket: like classic histograms, assume it starts at 0 if positive.
    if (bucket.upper <= 0) return bucket.upper;
    bucket.lower = 0;
  }
  if (bucket.upper === Infinity) return bucket.lower;
  if (count > h.count) count = h.count;
  if (count < rank) return bucket.upper;
  rank = bucket.count - (count - rank);
  const fraction = rank / bucket.count;
  if (custom || (bucket.lower <= 0 && bucket.upper >= 0)) {
    return bucket.lower + (bucket.upper - bucket.lower) * fraction;
  }
  const logLower = Math.log2(Math.abs(bucket.lower));
  const logUpper = Math.log2(Math.abs(bucket.upper));
  if (bucket.lower > 0) return 2 ** (logLower + (logUpper - logLower) * fraction);
  return -(2 ** (logUpper + (logLower - logUpper) * (1 - fraction)));
}

/** Share of observations in [lower, upper], interpolating like `nativeQuantile`. */
export function nativeFraction(lower: number, upper: number, h: FloatHistogram): number {
  if (h.count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  const custom = usesCustomBuckets(h);
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (const b of ascendingBuckets(h)) {
    if (!custom) clampZeroBucket(h, b);
    if (b.lower === -Infinity && b.upper > 0) b.lower = 0;
    const linear = custom || b.zero;
    const interpolate = (v: number): number => {
      if (b.lower === -Infinity) return rank;
      if (linear) return rank + (b.count * (v - b.lower)) / (b.upper - b.lower);
      const logLower = Math.log2(Math.abs(b.lower));
      const logUpper = Math.log2(Math.abs(b.upper));
      const logV = Math.log2(Math.abs(v));
      const fraction =
        v > 0
          ? (logV - logLower) / (logUpper - logLower)
          : 1 - (logV - logUpper) / (logLower - logUpper);
      return rank + b.count * fraction;
    };
    if (!lowerSet && b.lower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && b.lower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && b.lower < lower && b.upper > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && b.lower < upper && b.upper > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += b.count;
  }
  if (!lowerSet || lowerRank > h.count) lowerRank = h.count;
  if (!upperSet || upperRank > h.count) upperRank = h.count;
  return (upperRank - lowerRank) / h.count;
}

/**
 * Estimated variance of the observations: every observation is placed at its bucket's midpoint
 * (geometric for exponential buckets, arithmetic for custom ones, 0 in the zero bucket).
 */
export function nativeStdvar(h: FloatHistogram): number {
  const mean = h.sum / h.count;
  const custom = usesCustomBuckets(h);
  let variance = 0;
  let c = 0;
  for (const b of ascendingBuckets(h)) {
    if (b.count === 0) continue;
    let val: number;
    if (b.lower <= 0 && b.upper >= 0 && !custom) val = 0;
    else if (custom) {
      if (b.lower === -Infinity) val = b.upper;
      else if (b.upper === Infinity) val = b.lower;
      else val = (b.upper + b.lower) / 2;
    } else {
      val = Math.sqrt(b.upper * b.lower);
      if (b.upper < 0) val = -val;
    }
    const delta = val - mean;
    [variance, c] = kahanSumInc(b.count * delta * delta, variance, c);
  }
  return (variance + c) / h.count;
}
