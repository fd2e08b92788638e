import { almostEqual } from '../functions/histogram-quantile.js';
import { compact, histogramString, sameCustomValues } from '../histogram/histogram.js';
import type { Bucket, FloatHistogram } from '../histogram/histogram.js';

const EPSILON = 1e-6;

function close(a: number, b: number): boolean {
  return almostEqual(a, b, EPSILON);
}

function bucketsClose(a: readonly Bucket[], b: readonly Bucket[]): boolean {
  return a.length === b.length && a.every((x, k) => x.i === b[k]!.i && close(x.c, b[k]!.c));
}

/**
 * promqltest's histogram comparison: both sides without empty buckets, then layout equal and
 * every number equal within the float tolerance. Counter reset hints are not compared.
 */
export function histogramsMatch(exp: FloatHistogram, got: FloatHistogram): boolean {
  const x = compact(exp);
  const y = compact(got);
  return (
    x.schema === y.schema &&
    close(x.zeroThreshold, y.zeroThreshold) &&
    close(x.zeroCount, y.zeroCount) &&
    close(x.count, y.count) &&
    close(x.sum, y.sum) &&
    sameCustomValues(x, y) &&
    bucketsClose(x.pos, y.pos) &&
    bucketsClose(x.neg, y.neg)
  );
}

export function describeHistogram(h: FloatHistogram): string {
  const cv = h.customValues ? ` custom_values:[${h.customValues.join(' ')}]` : '';
  return `schema:${h.schema}${cv} ${histogramString(h)}`;
}
