import type { BinaryOp } from '../ast/ast.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import {
  addHistograms,
  divideHistogram,
  IncompatibleHistogramsError,
  scaleHistogram,
  subHistograms,
} from '../histogram/histogram-math.js';
import { histogramsEqual } from '../histogram/histogram.js';
import type { Annotations } from './annotations.js';
import { COMPARISON_OPS } from './binary-ops.js';

/** The outcome of one binary operation step: a float, a histogram, or nothing. */
export interface BinResult {
  v: number;
  h: FloatHistogram | undefined;
  /** For comparisons: whether the (filtering) comparison holds. */
  keep: boolean;
}

/** The warning Prometheus gives when two histograms' bucket layouts cannot be combined. */
export function incompatibleWarning(
  err: IncompatibleHistogramsError,
  ann: Annotations,
  metric: string,
): void {
  ann.warn(
    err.kind === 'mixed-schemas'
      ? `vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${JSON.stringify(metric)}`
      : `vector contains histograms with incompatible custom buckets for metric name ${JSON.stringify(metric)}`,
  );
}

function incompatibleTypes(op: BinaryOp, l: string, r: string, ann: Annotations): undefined {
  ann.info(
    `incompatible sample types encountered for binary operator ${JSON.stringify(op)}: ${l} ${op} ${r}`,
  );
  return undefined;
}

/**
 * A binary operation where at least one side is a native histogram. Defined: histogram ± histogram,
 * histogram * float (either order), histogram / float, and (in)equality of two histograms; every
 * other combination drops the sample with an info annotation, as in Prometheus.
 */
export function histogramBinary(
  op: BinaryOp,
  lv: number,
  lh: FloatHistogram | undefined,
  rv: number,
  rh: FloatHistogram | undefined,
  ann: Annotations,
  metric: string,
): BinResult | undefined {
  const lt = lh ? 'histogram' : 'float';
  const rt = rh ? 'histogram' : 'float';
  if (COMPARISON_OPS.has(op)) {
    if (lh && rh && (op === '==' || op === '!=')) {
      const eq = histogramsEqual(lh, rh);
      const keep = op === '==' ? eq : !eq;
      return { v: keep ? 1 : 0, h: lh, keep };
    }
    return incompatibleTypes(op, lt, rt, ann);
  }
  try {
    if (lh && rh) {
      if (op === '+') return { v: 0, h: addHistograms(lh, rh), keep: true };
      if (op === '-') return { v: 0, h: subHistograms(lh, rh), keep: true };
    } else if (lh) {
      if (op === '*') return { v: 0, h: scaleHistogram(lh, rv), keep: true };
      if (op === '/') return { v: 0, h: divideHistogram(lh, rv), keep: true };
    } else if (rh && op === '*') {
      return { v: 0, h: scaleHistogram(rh, lv), keep: true };
    }
  } catch (err) {
    if (err instanceof IncompatibleHistogramsError) {
      incompatibleWarning(err, ann, metric);
      return undefined;
    }
    throw err;
  }
  return incompatibleTypes(op, lt, rt, ann);
}
