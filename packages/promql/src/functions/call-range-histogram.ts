import type { EvalContext } from '../eval/context.js';
import type { RangeInput } from '../eval/selectors.js';
import { executionError } from '../eval/series-builder.js';
import { setHist } from '../eval/values.js';
import type { StepSeries } from '../eval/values.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import {
  changesOrResets,
  histogramInstant,
  histogramRate,
  histogramSumOverTime,
} from '../histogram/histogram-range.js';
import type { HistogramOutcome, HistogramWindow, RangeNote } from '../histogram/histogram-range.js';
import { METRIC_NAME } from '../labels/labels.js';
import type { RangeFn, Window } from './range-functions.js';

/** Range functions defined on float samples only: histograms in the window are ignored. */
const FLOAT_ONLY: ReadonlySet<string> = new Set([
  'deriv',
  'predict_linear',
  'double_exponential_smoothing',
  'stddev_over_time',
  'stdvar_over_time',
  'mad_over_time',
  'quantile_over_time',
  'min_over_time',
  'max_over_time',
  'ts_of_max_over_time',
  'ts_of_min_over_time',
]);

/** Range functions that only look at sample times or counts, whatever the sample type. */
const ANY_SAMPLE: ReadonlySet<string> = new Set([
  'count_over_time',
  'present_over_time',
  'ts_of_last_over_time',
  'ts_of_first_over_time',
]);

function noteAll(notes: readonly RangeNote[], metric: string, ctx: EvalContext): void {
  const name = JSON.stringify(metric);
  for (const n of notes) {
    if (n === 'not-counter')
      ctx.annotations.warn(`this native histogram metric is not a counter: ${name}`);
    else if (n === 'not-gauge')
      ctx.annotations.warn(`this native histogram metric is not a gauge: ${name}`);
    else if (n === 'mixed-schemas')
      ctx.annotations.warn(
        `vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${name}`,
      );
    else if (n === 'custom-bounds')
      ctx.annotations.warn(
        `vector contains histograms with incompatible custom buckets for metric name ${name}`,
      );
  }
}

export interface MixedSeriesArgs {
  readonly func: string;
  readonly fn: RangeFn;
  readonly s: RangeInput & { hs: readonly (FloatHistogram | undefined)[] };
  readonly rangeMs: number;
  readonly offsetMs: number;
  /** `@` time minus offset, when the selector is pinned. */
  readonly atRef: number | undefined;
  readonly params: readonly Float64Array[];
  readonly beforeStep: (p: number[]) => void;
  readonly out: StepSeries;
  readonly ctx: EvalContext;
}

/**
 * A range function over a series holding native histogram samples (possibly mixed with
 * floats), step by step. Returns true when some step produced a float from float samples.
 */
export function evalMixedSeries(a: MixedSeriesArgs): boolean {
  const { s, ctx, out, func } = a;
  const hs = s.hs;
  const metric = s.labels.get(METRIC_NAME);
  const floatIdx: number[] = [];
  const histPrefix = new Int32Array(s.ts.length + 1);
  for (let k = 0; k < s.ts.length; k++) {
    histPrefix[k + 1] = histPrefix[k]! + (hs[k] === undefined ? 0 : 1);
    if (hs[k] === undefined) floatIdx.push(k);
  }
  const fts = Float64Array.from(floatIdx, (k) => s.ts[k]!);
  const fvs = Float64Array.from(floatIdx, (k) => s.vs[k]!);
  const p = new Array<number>(a.params.length).fill(0);
  let lo = 0;
  let hi = 0;
  let flo = 0;
  let fhi = 0;
  let producedFloat = false;
  const put = (i: number, v: number, h: FloatHistogram | undefined): void => {
    if (out.present[i] === 1)
      throw executionError('vector cannot contain metrics with the same labelset');
    out.values[i] = h ? h.count : v;
    out.present[i] = 1;
    setHist(out, i, h);
  };
  const putOutcome = (i: number, o: HistogramOutcome): void => {
    noteAll(o.notes, metric, ctx);
    if (o.h) put(i, 0, o.h);
  };
  const mixWarning = (): void =>
    ctx.annotations.warn(
      `encountered a mix of histograms and floats for metric name ${JSON.stringify(metric)}`,
    );
  for (let i = 0; i < ctx.n; i++) {
    const ref = a.atRef ?? ctx.times[i]! - a.offsetMs;
    const from = ref - a.rangeMs;
    while (lo < s.ts.length && s.ts[lo]! <= from) lo++;
    if (hi < lo) hi = lo;
    while (hi < s.ts.length && s.ts[hi]! <= ref) hi++;
    while (flo < fts.length && fts[flo]! <= from) flo++;
    if (fhi < flo) fhi = flo;
    while (fhi < fts.length && fts[fhi]! <= ref) fhi++;
    if (hi <= lo) continue;
    const nHist = histPrefix[hi]! - histPrefix[lo]!;
    const nFloat = hi - lo - nHist;
    for (let k = 0; k < p.length; k++) p[k] = a.params[k]![i]!;
    a.beforeStep(p);
    const fw: Window = {
      ts: fts,
      vs: fvs,
      lo: flo,
      hi: fhi,
      rangeStart: from,
      rangeEnd: ref,
      rangeMs: a.rangeMs,
      resetPrefix: undefined,
      evalT: ctx.times[i]!,
    };
    const hw: HistogramWindow = {
      ts: s.ts,
      hs,
      lo,
      hi,
      rangeStart: from,
      rangeEnd: ref,
      rangeMs: a.rangeMs,
    };
    const floatOut = (): void => {
      const v = a.fn(fw, p);
      if (v === undefined) return;
      put(i, v, undefined);
      producedFloat = true;
    };
    if (FLOAT_ONLY.has(func)) {
      if (nFloat === 0) continue;
      if (nHist > 0) {
        ctx.annotations.info(
          `ignored histograms in a range containing both floats and histograms for metric name ${JSON.stringify(metric)}`,
        );
      }
      floatOut();
    } else if (ANY_SAMPLE.has(func)) {
      const v = a.fn({ ...fw, ts: s.ts, vs: s.vs, lo, hi }, p);
      if (v !== undefined) put(i, v, undefined);
    } else if (func === 'last_over_time' || func === 'first_over_time') {
      const k = func === 'last_over_time' ? hi - 1 : lo;
      put(i, s.vs[k]!, hs[k]);
    } else if (func === 'changes' || func === 'resets') {
      put(i, changesOrResets(s.vs, hs, lo, hi, func === 'resets'), undefined);
    } else if (nFloat > 0 && nHist > 0 && func !== 'irate' && func !== 'idelta') {
      mixWarning();
    } else if (nHist === 0) {
      floatOut();
    } else if (func === 'rate' || func === 'increase' || func === 'delta') {
      putOutcome(i, histogramRate(hw, func !== 'delta', func === 'rate'));
    } else if (func === 'irate' || func === 'idelta') {
      if (hi - lo < 2) continue;
      const lastH = hs[hi - 1] !== undefined;
      const prevH = hs[hi - 2] !== undefined;
      if (lastH !== prevH) mixWarning();
      else if (!lastH) floatOut();
      else putOutcome(i, histogramInstant(hw, func === 'irate'));
    } else if (func === 'sum_over_time' || func === 'avg_over_time') {
      putOutcome(i, histogramSumOverTime(hw, func === 'avg_over_time'));
    }
  }
  return producedFloat;
}
