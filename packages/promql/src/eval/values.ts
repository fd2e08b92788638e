import type { FloatHistogram } from '../histogram/histogram.js';
import type { Labels } from '../labels/labels.js';

/**
 * An instant-vector series evaluated at every step of the query at once: one typed array of
 * values and a presence mask, instead of one object per sample.
 */
export interface StepSeries {
  labels: Labels;
  readonly values: Float64Array;
  /** 1 where the series has a value at that step. */
  readonly present: Uint8Array;
  /**
   * Native histogram samples by step (a present step holding a histogram; `values` is then
   * ignored there). Absent on float-only series, so float code paths never look at it.
   */
  hist?: (FloatHistogram | undefined)[] | undefined;
}

/** The histogram at step `i`, if that step holds one. */
export function histAt(s: StepSeries, i: number): FloatHistogram | undefined {
  return s.hist === undefined ? undefined : s.hist[i];
}

/** Stores a histogram at step `i`, creating the per-step array on first use. */
export function setHist(s: StepSeries, i: number, h: FloatHistogram | undefined): void {
  if (h === undefined) {
    if (s.hist) s.hist[i] = undefined;
    return;
  }
  if (!s.hist) s.hist = new Array<FloatHistogram | undefined>(s.values.length).fill(undefined);
  s.hist[i] = h;
}

/** Samples of one series in a range vector (matrix) result. */
export interface RangeSeries {
  readonly labels: Labels;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /** Histogram samples parallel to `timestamps`, when there are any. */
  readonly histograms?: readonly (FloatHistogram | undefined)[] | undefined;
}

export type EvalValue =
  | { readonly kind: 'scalar'; readonly values: Float64Array }
  | { readonly kind: 'vector'; readonly series: StepSeries[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'matrix'; readonly series: RangeSeries[] };

export function newStepSeries(labels: Labels, n: number): StepSeries {
  return { labels, values: new Float64Array(n), present: new Uint8Array(n) };
}

export function hasAnyPresent(s: StepSeries): boolean {
  return s.present.includes(1);
}
