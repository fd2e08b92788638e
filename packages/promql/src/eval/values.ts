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
}

/** Samples of one series in a range vector (matrix) result. */
export interface RangeSeries {
  readonly labels: Labels;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
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
