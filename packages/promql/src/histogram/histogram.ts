import { formatFloatPlain } from '../format/format-float.js';

/** Prometheus's counter reset hint: how a histogram sample relates to the previous one. */
export type CounterResetHint = 'unknown' | 'reset' | 'not_reset' | 'gauge';

/** One populated (or explicitly empty) bucket: its index in the schema and its count. */
export interface Bucket {
  readonly i: number;
  readonly c: number;
}

/** Schema of native histograms with custom bucket bounds (NHCB). */
export const CUSTOM_BUCKETS_SCHEMA = -53;

/**
 * A native histogram sample with float counts (what PromQL evaluates; integer histograms are
 * converted on the way in). Buckets are sparse and sorted by index, with absolute counts. For
 * exponential schemas bucket `i` covers (2^((i-1)·2^-schema), 2^(i·2^-schema)] (mirrored for
 * the negative side); for custom buckets it covers (customValues[i-1], customValues[i]], the
 * bucket past the last bound reaching +Inf. Values are immutable: operations build new ones.
 */
export interface FloatHistogram {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly count: number;
  readonly sum: number;
  readonly pos: readonly Bucket[];
  readonly neg: readonly Bucket[];
  readonly hint: CounterResetHint;
  /** Upper bounds of the custom buckets (schema -53 only). */
  readonly customValues?: readonly number[] | undefined;
}

export function usesCustomBuckets(h: FloatHistogram): boolean {
  return h.schema === CUSTOM_BUCKETS_SCHEMA;
}

export function withHint(h: FloatHistogram, hint: CounterResetHint): FloatHistogram {
  return h.hint === hint ? h : { ...h, hint };
}

/** Upper bound of exponential bucket `i` (positive side). */
export function exponentialUpper(i: number, schema: number): number {
  if (schema <= 0) return 2 ** (i * 2 ** -schema);
  const per = 2 ** schema;
  const exp = Math.floor(i / per);
  const frac = i - exp * per;
  return 2 ** (frac / per) * 2 ** exp;
}

/** The bounds of one bucket, as Prometheus's bucket iterators report them. */
export interface BucketRange {
  lower: number;
  upper: number;
  count: number;
  /** True for the zero bucket of an exponential histogram. */
  zero: boolean;
}

/**
 * Every bucket in ascending order of value: negative buckets (most negative first), the zero
 * bucket, positive buckets. Custom buckets: the first bucket starts at -Inf.
 */
export function ascendingBuckets(h: FloatHistogram): BucketRange[] {
  const out: BucketRange[] = [];
  if (usesCustomBuckets(h)) {
    const cv = h.customValues ?? [];
    for (const b of h.pos) {
      const lower = b.i === 0 ? -Infinity : cv[b.i - 1]!;
      const upper = b.i < cv.length ? cv[b.i]! : Infinity;
      out.push({ lower, upper, count: b.c, zero: false });
    }
    return out;
  }
  for (let k = h.neg.length - 1; k >= 0; k--) {
    const b = h.neg[k]!;
    out.push({
      lower: -exponentialUpper(b.i, h.schema),
      upper: -exponentialUpper(b.i - 1, h.schema),
      count: b.c,
      zero: false,
    });
  }
  if (h.zeroThreshold > 0 || h.zeroCount > 0) {
    out.push({ lower: -h.zeroThreshold, upper: h.zeroThreshold, count: h.zeroCount, zero: true });
  }
  for (const b of h.pos) {
    out.push({
      lower: exponentialUpper(b.i - 1, h.schema),
      upper: exponentialUpper(b.i, h.schema),
      count: b.c,
      zero: false,
    });
  }
  return out;
}

/** Drops empty buckets (the layout Prometheus's Compact(0) leaves, bucket by bucket). */
export function compact(h: FloatHistogram): FloatHistogram {
  const nonEmpty = (bs: readonly Bucket[]): readonly Bucket[] =>
    bs.every((b) => b.c !== 0) ? bs : bs.filter((b) => b.c !== 0);
  return { ...h, pos: nonEmpty(h.pos), neg: nonEmpty(h.neg) };
}

function sameBuckets(a: readonly Bucket[], b: readonly Bucket[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    if (a[k]!.i !== b[k]!.i || !Object.is(a[k]!.c, b[k]!.c)) return false;
  }
  return true;
}

export function sameCustomValues(a: FloatHistogram, b: FloatHistogram): boolean {
  const x = a.customValues ?? [];
  const y = b.customValues ?? [];
  return x.length === y.length && x.every((v, k) => v === y[k]);
}

/** Exact equality as PromQL's `==` between histograms uses it (empty buckets are ignored). */
export function histogramsEqual(a: FloatHistogram, b: FloatHistogram): boolean {
  const x = compact(a);
  const y = compact(b);
  return (
    x.schema === y.schema &&
    x.zeroThreshold === y.zeroThreshold &&
    Object.is(x.zeroCount, y.zeroCount) &&
    Object.is(x.count, y.count) &&
    (Object.is(x.sum, y.sum) || (Number.isNaN(x.sum) && Number.isNaN(y.sum))) &&
    sameCustomValues(x, y) &&
    sameBuckets(x.pos, y.pos) &&
    sameBuckets(x.neg, y.neg)
  );
}

function g(x: number): string {
  return formatFloatPlain(x);
}

/**
 * Prometheus's text form of a float histogram (`{count:20, sum:10, [-2,-1):2, ...}`), which
 * `count_values` uses as a label value.
 */
export function histogramString(h: FloatHistogram): string {
  const parts = [`count:${g(h.count)}`, `sum:${g(h.sum)}`];
  for (const b of ascendingBuckets(compact(h))) {
    if (b.count === 0 && !b.zero) continue;
    if (b.zero) {
      if (b.count === 0) continue;
      parts.push(`[${g(b.lower)},${g(b.upper)}]:${g(b.count)}`);
    } else if (b.upper <= 0) parts.push(`[${g(b.lower)},${g(b.upper)}):${g(b.count)}`);
    else parts.push(`(${g(b.lower)},${g(b.upper)}]:${g(b.count)}`);
  }
  return `{${parts.join(', ')}}`;
}
