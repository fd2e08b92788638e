import { exponentialUpper, sameCustomValues, usesCustomBuckets } from './histogram.js';
import type { Bucket, FloatHistogram } from './histogram.js';

/** Why two histograms cannot be combined; callers turn it into the matching annotation. */
export type IncompatibleKind = 'mixed-schemas' | 'custom-bounds';

export class IncompatibleHistogramsError extends Error {
  constructor(readonly kind: IncompatibleKind) {
    super(kind);
  }
}

/** Merges buckets to a coarser exponential schema: bucket i lands in ((i-1) >> delta) + 1. */
function reduceBuckets(bs: readonly Bucket[], delta: number): Bucket[] {
  if (delta === 0) return bs.slice();
  const out: Bucket[] = [];
  for (const b of bs) {
    const i = Math.floor((b.i - 1) / 2 ** delta) + 1;
    const last = out[out.length - 1];
    if (last && last.i === i) out[out.length - 1] = { i, c: last.c + b.c };
    else out.push({ i, c: b.c });
  }
  return out;
}

/** The same histogram at a coarser (lower) exponential schema. */
export function toSchema(h: FloatHistogram, schema: number): FloatHistogram {
  if (usesCustomBuckets(h) || h.schema <= schema) return h;
  const delta = h.schema - schema;
  return { ...h, schema, pos: reduceBuckets(h.pos, delta), neg: reduceBuckets(h.neg, delta) };
}

/** Moves buckets entirely inside a wider zero bucket into the zero count. */
function widenZero(h: FloatHistogram, threshold: number): FloatHistogram {
  if (h.zeroThreshold >= threshold) return h;
  let zeroCount = h.zeroCount;
  const keep = (bs: readonly Bucket[]): Bucket[] =>
    bs.filter((b) => {
      if (exponentialUpper(b.i, h.schema) > threshold) return true;
      zeroCount += b.c;
      return false;
    });
  const pos = keep(h.pos);
  const neg = keep(h.neg);
  return { ...h, zeroThreshold: threshold, zeroCount, pos, neg };
}

function mergeBuckets(a: readonly Bucket[], b: readonly Bucket[], sign: number): Bucket[] {
  const out: Bucket[] = [];
  let x = 0;
  let y = 0;
  while (x < a.length || y < b.length) {
    const ai = x < a.length ? a[x]!.i : Infinity;
    const bi = y < b.length ? b[y]!.i : Infinity;
    if (ai === bi) {
      out.push({ i: ai, c: a[x++]!.c + sign * b[y++]!.c });
    } else if (ai < bi) out.push(a[x++]!);
    else {
      const bb = b[y++]!;
      out.push({ i: bb.i, c: sign * bb.c });
    }
  }
  return out;
}

/** Brings two histograms to a common layout (lowest schema, widest zero bucket). */
function reconcile(a: FloatHistogram, b: FloatHistogram): [FloatHistogram, FloatHistogram] {
  const ca = usesCustomBuckets(a);
  const cb = usesCustomBuckets(b);
  if (ca !== cb) throw new IncompatibleHistogramsError('mixed-schemas');
  if (ca) {
    if (!sameCustomValues(a, b)) throw new IncompatibleHistogramsError('custom-bounds');
    return [a, b];
  }
  const schema = Math.min(a.schema, b.schema);
  let x = toSchema(a, schema);
  let y = toSchema(b, schema);
  const threshold = Math.max(x.zeroThreshold, y.zeroThreshold);
  x = widenZero(x, threshold);
  y = widenZero(y, threshold);
  return [x, y];
}

function combine(a: FloatHistogram, b: FloatHistogram, sign: number): FloatHistogram {
  const [x, y] = reconcile(a, b);
  return {
    schema: x.schema,
    zeroThreshold: x.zeroThreshold,
    zeroCount: x.zeroCount + sign * y.zeroCount,
    count: x.count + sign * y.count,
    sum: x.sum + sign * y.sum,
    pos: mergeBuckets(x.pos, y.pos, sign),
    neg: mergeBuckets(x.neg, y.neg, sign),
    hint: x.hint === 'gauge' || y.hint === 'gauge' ? 'gauge' : 'unknown',
    customValues: x.customValues,
  };
}

/** a + b; throws IncompatibleHistogramsError when the bucket layouts cannot be reconciled. */
export function addHistograms(a: FloatHistogram, b: FloatHistogram): FloatHistogram {
  return combine(a, b, 1);
}

/** a - b; throws IncompatibleHistogramsError when the bucket layouts cannot be reconciled. */
export function subHistograms(a: FloatHistogram, b: FloatHistogram): FloatHistogram {
  return combine(a, b, -1);
}

/** Every count and the sum multiplied by `f` (also how division by a scalar is done). */
export function scaleHistogram(h: FloatHistogram, f: number): FloatHistogram {
  const scale = (bs: readonly Bucket[]): Bucket[] => bs.map((b) => ({ i: b.i, c: b.c * f }));
  return {
    ...h,
    zeroCount: h.zeroCount * f,
    count: h.count * f,
    sum: h.sum * f,
    pos: scale(h.pos),
    neg: scale(h.neg),
  };
}

/** Every count and the sum divided by `d` (not `scale(1/d)`, which rounds differently). */
export function divideHistogram(h: FloatHistogram, d: number): FloatHistogram {
  const scale = (bs: readonly Bucket[]): Bucket[] => bs.map((b) => ({ i: b.i, c: b.c / d }));
  return {
    ...h,
    zeroCount: h.zeroCount / d,
    count: h.count / d,
    sum: h.sum / d,
    pos: scale(h.pos),
    neg: scale(h.neg),
  };
}

/** True when some bucket of `prev` (at `cur`'s resolution) holds more than the same one in `cur`. */
function bucketsDropped(cur: readonly Bucket[], prev: readonly Bucket[]): boolean {
  const counts = new Map<number, number>();
  for (const b of cur) counts.set(b.i, b.c);
  return prev.some((b) => b.c > (counts.get(b.i) ?? 0));
}

/**
 * Whether `cur` follows a counter reset after `prev`, as Prometheus decides: an explicit hint
 * wins; otherwise a lower count, incompatible or finer layout, narrower zero bucket, or any
 * bucket losing observations.
 */
export function detectReset(cur: FloatHistogram, prev: FloatHistogram): boolean {
  if (cur.hint === 'reset') return true;
  if (cur.hint === 'not_reset') return false;
  if (cur.count < prev.count) return true;
  if (usesCustomBuckets(cur) !== usesCustomBuckets(prev)) return true;
  if (usesCustomBuckets(cur)) {
    if (!sameCustomValues(cur, prev)) return true;
    return bucketsDropped(cur.pos, prev.pos);
  }
  if (cur.schema > prev.schema) return true;
  if (cur.zeroThreshold < prev.zeroThreshold) return true;
  const p = widenZero(toSchema(prev, cur.schema), cur.zeroThreshold);
  if (p.zeroThreshold !== cur.zeroThreshold) return true;
  if (cur.zeroCount < p.zeroCount) return true;
  return bucketsDropped(cur.pos, p.pos) || bucketsDropped(cur.neg, p.neg);
}
