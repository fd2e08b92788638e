import type { FloatHistogram } from './histogram.js';
import {
  addHistograms,
  detectReset,
  divideHistogram,
  IncompatibleHistogramsError,
  scaleHistogram,
  subHistograms,
  toSchema,
} from './histogram-math.js';
import { usesCustomBuckets, histogramsEqual } from './histogram.js';

/** What a range function over histograms wants reported (turned into annotations by the caller). */
export type RangeNote = 'not-counter' | 'not-gauge' | 'mixed-schemas' | 'custom-bounds' | undefined;

export interface HistogramWindow {
  readonly ts: Float64Array;
  readonly hs: readonly (FloatHistogram | undefined)[];
  readonly lo: number;
  readonly hi: number;
  readonly rangeStart: number;
  readonly rangeEnd: number;
  readonly rangeMs: number;
}

/** Prometheus's extrapolation of a window's change to the range bounds (histograms: no zero clamp). */
function extrapolationFactor(w: HistogramWindow, isRate: boolean): number {
  const count = w.hi - w.lo;
  const firstT = w.ts[w.lo]!;
  const lastT = w.ts[w.hi - 1]!;
  const sampled = (lastT - firstT) / 1000;
  const avg = sampled / (count - 1);
  const threshold = avg * 1.1;
  let toStart = (firstT - w.rangeStart) / 1000;
  let toEnd = (w.rangeEnd - lastT) / 1000;
  if (toStart >= threshold) toStart = avg / 2;
  if (toEnd >= threshold) toEnd = avg / 2;
  let factor = (sampled + toStart + toEnd) / sampled;
  if (isRate) factor /= w.rangeMs / 1000;
  return factor;
}

export interface HistogramOutcome {
  h: FloatHistogram | undefined;
  notes: RangeNote[];
}

function failed(err: unknown): HistogramOutcome {
  if (err instanceof IncompatibleHistogramsError) return { h: undefined, notes: [err.kind] };
  throw err;
}

/**
 * rate / increase (counter: resets add back the pre-reset histogram) and delta over a window of
 * histogram samples, reconciled to the lowest schema and extrapolated like floats.
 */
export function histogramRate(
  w: HistogramWindow,
  isCounter: boolean,
  isRate: boolean,
): HistogramOutcome {
  if (w.hi - w.lo < 2) return { h: undefined, notes: [] };
  const notes: RangeNote[] = [];
  const first = w.hs[w.lo]!;
  const last = w.hs[w.hi - 1]!;
  const custom = usesCustomBuckets(first);
  let minSchema = Math.min(first.schema, last.schema);
  for (let k = w.lo; k < w.hi; k++) {
    const h = w.hs[k]!;
    if (usesCustomBuckets(h) !== custom) return { h: undefined, notes: ['mixed-schemas'] };
    if (!custom) minSchema = Math.min(minSchema, h.schema);
    if (isCounter && h.hint === 'gauge') notes.push('not-counter');
  }
  let result: FloatHistogram;
  try {
    result = subHistograms(toSchema(last, minSchema), first);
    if (isCounter) {
      let prev = first;
      for (let k = w.lo + 1; k < w.hi; k++) {
        const cur = w.hs[k]!;
        if (detectReset(cur, prev)) result = addHistograms(result, prev);
        prev = cur;
      }
    } else if (first.hint !== 'gauge' || last.hint !== 'gauge') notes.push('not-gauge');
  } catch (err) {
    return failed(err);
  }
  const h = scaleHistogram(result, extrapolationFactor(w, isRate));
  return { h: { ...h, hint: 'gauge' }, notes };
}

/** irate / idelta over the last two histogram samples of a window. */
export function histogramInstant(w: HistogramWindow, isRate: boolean): HistogramOutcome {
  if (w.hi - w.lo < 2) return { h: undefined, notes: [] };
  const last = w.hs[w.hi - 1]!;
  const prev = w.hs[w.hi - 2]!;
  const notes: RangeNote[] = [];
  if (isRate && (last.hint === 'gauge' || prev.hint === 'gauge')) notes.push('not-counter');
  if (!isRate && (last.hint !== 'gauge' || prev.hint !== 'gauge')) notes.push('not-gauge');
  let result: FloatHistogram;
  try {
    result = isRate && detectReset(last, prev) ? last : subHistograms(last, prev);
  } catch (err) {
    const out = failed(err);
    return { h: undefined, notes: [...notes, ...out.notes] };
  }
  const interval = (w.ts[w.hi - 1]! - w.ts[w.hi - 2]!) / 1000;
  if (interval === 0) return { h: undefined, notes };
  if (isRate) result = divideHistogram(result, interval);
  return { h: { ...result, hint: 'gauge' }, notes };
}

/** sum_over_time / avg_over_time of histogram samples. */
export function histogramSumOverTime(w: HistogramWindow, avg: boolean): HistogramOutcome {
  try {
    let sum = w.hs[w.lo]!;
    for (let k = w.lo + 1; k < w.hi; k++) sum = addHistograms(sum, w.hs[k]!);
    const h = avg ? divideHistogram(sum, w.hi - w.lo) : sum;
    return { h: { ...h, hint: 'gauge' }, notes: [] };
  } catch (err) {
    return failed(err);
  }
}

/**
 * changes() and resets() over a window that may mix floats and histograms: a change of sample
 * type counts as a change and as a reset.
 */
export function changesOrResets(
  vs: Float64Array,
  hs: readonly (FloatHistogram | undefined)[],
  lo: number,
  hi: number,
  resets: boolean,
): number {
  let n = 0;
  for (let k = lo + 1; k < hi; k++) {
    const a = hs[k - 1];
    const b = hs[k];
    if ((a === undefined) !== (b === undefined)) n++;
    else if (a !== undefined && b !== undefined) {
      if (resets ? detectReset(b, a) : !histogramsEqual(a, b)) n++;
    } else {
      const x = vs[k - 1]!;
      const y = vs[k]!;
      if (resets ? y < x : x !== y && !(Number.isNaN(x) && Number.isNaN(y))) n++;
    }
  }
  return n;
}
