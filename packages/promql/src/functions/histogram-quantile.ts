import type { Call } from '../ast/ast.js';
import type { Evaluator } from '../eval/evaluator.js';
import { SeriesBuilder } from '../eval/series-builder.js';
import type { StepSeries } from '../eval/values.js';
import { formatFloatG } from '../format/format-float.js';
import { METRIC_NAME, NAME_SET } from '../labels/labels.js';
import type { Labels } from '../labels/labels.js';
import { parseNumberLiteral } from '../parser/duration.js';
import { nativeFraction, nativeQuantile } from '../histogram/histogram-stats.js';
import { classicCandidates, mergeClassicNative, perHistogram } from './histogram-functions.js';

interface Bucket {
  upper: number;
  count: number;
}

const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Relative float comparison as Prometheus's `almost.Equal`. */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/**
 * Quantile from classic cumulative buckets with linear interpolation inside the bucket. Returns
 * the value and whether the counts had to be forced monotonic (reported as an info).
 */
export function bucketQuantile(q: number, input: Bucket[]): [number, boolean] {
  if (Number.isNaN(q)) return [NaN, false];
  if (q < 0) return [-Infinity, false];
  if (q > 1) return [Infinity, false];
  const sorted = [...input].sort((a, b) => a.upper - b.upper);
  if (sorted[sorted.length - 1]!.upper !== Infinity) return [NaN, false];
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.upper === b.upper) last.count += b.count;
    else buckets.push({ ...b });
  }
  let forced = false;
  let prev = buckets[0]!.count;
  for (let i = 1; i < buckets.length; i++) {
    const curr = buckets[i]!.count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      buckets[i]!.count = prev;
      continue;
    }
    if (curr < prev) {
      buckets[i]!.count = prev;
      forced = true;
      continue;
    }
    prev = curr;
  }
  if (buckets.length < 2) return [NaN, forced];
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return [NaN, forced];
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && buckets[b]!.count < rank) b++;
  if (b === buckets.length - 1) return [buckets[buckets.length - 2]!.upper, forced];
  if (b === 0 && buckets[0]!.upper <= 0) return [buckets[0]!.upper, forced];
  let start = 0;
  const end = buckets[b]!.upper;
  let count = buckets[b]!.count;
  if (b > 0) {
    start = buckets[b - 1]!.upper;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return [start + (end - start) * (rank / count), forced];
}

const LE_SET: ReadonlySet<string> = new Set(['le']);

interface BucketGroup {
  labels: Labels;
  name: string;
  members: { upper: number; s: StepSeries }[];
}

/**
 * Groups classic `_bucket` series by all labels but `le`. The key keeps __name__ so two
 * histograms that differ only by name collide on output, as in Prometheus.
 */
function groupBuckets(input: StepSeries[], ev: Evaluator): BucketGroup[] {
  const groups = new Map<string, BucketGroup>();
  for (const s of input) {
    const le = s.labels.get('le');
    const upper = le === '' ? NaN : parseNumberLiteral(le);
    if (Number.isNaN(upper)) {
      ev.ctx.annotations.warn(
        `bucket label "le" is missing or has a malformed value of ${JSON.stringify(le)} for metric name ${JSON.stringify(s.labels.get(METRIC_NAME))}`,
      );
      continue;
    }
    const key = s.labels.signature(LE_SET, false);
    let g = groups.get(key);
    if (!g) {
      g = {
        labels: s.labels.without(LE_SET).without(NAME_SET),
        name: s.labels.get(METRIC_NAME),
        members: [],
      };
      groups.set(key, g);
    }
    g.members.push({ upper, s });
  }
  return [...groups.values()];
}

function forEachBucketSet(
  groups: BucketGroup[],
  ev: Evaluator,
  fn: (g: BucketGroup, step: number, buckets: Bucket[]) => number,
): StepSeries[] {
  const builder = new SeriesBuilder(ev.ctx.n);
  const buckets: Bucket[] = [];
  for (const g of groups) {
    for (let i = 0; i < ev.ctx.n; i++) {
      buckets.length = 0;
      for (const m of g.members)
        if (m.s.present[i] === 1) buckets.push({ upper: m.upper, count: m.s.values[i]! });
      if (buckets.length === 0) continue;
      builder.set(g.labels, i, fn(g, i, buckets));
    }
  }
  return builder.result();
}

/** histogram_quantile over classic `_bucket` series. */
export function histogramQuantile(e: Call, ev: Evaluator): StepSeries[] {
  const ctx = ev.ctx;
  const q = ev.scalar(e.args[0]!);
  const input = ev.vector(e.args[1]!);
  for (const v of new Set(q)) {
    if (input.length > 0 && (Number.isNaN(v) || v < 0 || v > 1)) {
      ctx.annotations.warn(`quantile value should be between 0 and 1, got ${formatFloatG(v)}`);
    }
  }
  const native = perHistogram(input, ctx.n, (h, i) => nativeQuantile(q[i]!, h));
  const classic = forEachBucketSet(
    groupBuckets(classicCandidates(input), ev),
    ev,
    (g, i, buckets) => {
      const [value, forced] = bucketQuantile(q[i]!, buckets);
      if (forced) {
        ctx.annotations.info(
          `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name ${JSON.stringify(g.name)}`,
        );
      }
      return value;
    },
  );
  return mergeClassicNative(classic, native, input, ev);
}

/**
 * Fraction of observations in [lower, upper] from classic buckets, interpolating linearly inside
 * a bucket; the lowest bucket is assumed to start at 0 when its upper bound is positive.
 */
export function bucketFraction(lower: number, upper: number, input: Bucket[]): number {
  const sorted = [...input].sort((a, b) => a.upper - b.upper);
  if (sorted[sorted.length - 1]!.upper !== Infinity) return NaN;
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.upper === b.upper) last.count += b.count;
    else buckets.push({ ...b });
  }
  const total = buckets[buckets.length - 1]!.count;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    const bLower = i > 0 ? buckets[i - 1]!.upper : b.upper > 0 ? 0 : -Infinity;
    const count = b.count - (i > 0 ? buckets[i - 1]!.count : 0);
    const interpolate = (v: number): number =>
      bLower === -Infinity ? rank : rank + (count * (v - bLower)) / (b.upper - bLower);
    if (!lowerSet && bLower >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && bLower >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && bLower < lower && b.upper > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && bLower < upper && b.upper > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank += count;
  }
  if (!lowerSet || lowerRank > total) lowerRank = total;
  if (!upperSet || upperRank > total) upperRank = total;
  return (upperRank - lowerRank) / total;
}

/** histogram_fraction(lower, upper, classic buckets). */
export function histogramFraction(e: Call, ev: Evaluator): StepSeries[] {
  const lower = ev.scalar(e.args[0]!);
  const upper = ev.scalar(e.args[1]!);
  const input = ev.vector(e.args[2]!);
  const native = perHistogram(input, ev.ctx.n, (h, i) => nativeFraction(lower[i]!, upper[i]!, h));
  const classic = forEachBucketSet(groupBuckets(classicCandidates(input), ev), ev, (_g, i, b) =>
    bucketFraction(lower[i]!, upper[i]!, b),
  );
  return mergeClassicNative(classic, native, input, ev);
}
