import type { VectorSelector } from '../ast/ast.js';
import type { Labels } from '../labels/labels.js';
import type { SeriesData } from '../storage/series-source.js';
import { resolveAt } from './context.js';
import type { EvalContext } from './context.js';
import { withHint } from '../histogram/histogram.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import type { StepSeries } from './values.js';

/** What a vector selector yields per step: the sample value, or (for `timestamp()`) its time. */
export type SelectorMode = 'value' | 'timestamp';

/**
 * Evaluates an instant vector selector on the step grid: at each step the newest sample in
 * (t - lookback, t], unless that sample is a staleness marker. One forward scan per series.
 */
export function evalVectorSelector(
  vs: VectorSelector,
  ctx: EvalContext,
  mode: SelectorMode = 'value',
): StepSeries[] {
  const data = ctx.data.get(vs) ?? [];
  const at = resolveAt(vs.at, ctx);
  const out: StepSeries[] = [];
  for (const s of data) {
    const values = new Float64Array(ctx.n);
    const present = new Uint8Array(ctx.n);
    const ts = s.timestamps;
    const hs = mode === 'value' ? s.histograms : undefined;
    const hist = hs ? new Array<FloatHistogram | undefined>(ctx.n).fill(undefined) : undefined;
    let any = false;
    if (at !== undefined) {
      const idx = sampleAt(s, at - vs.offsetMs, ctx.lookbackMs);
      if (idx >= 0) {
        const v = mode === 'value' ? s.values[idx]! : ts[idx]! / 1000;
        values.fill(v);
        present.fill(1);
        if (hist) hist.fill(hs![idx]);
        any = ctx.n > 0;
      }
    } else {
      let j = 0;
      let prevLast = -1;
      for (let i = 0; i < ctx.n; i++) {
        const ref = ctx.times[i]! - vs.offsetMs;
        while (j < ts.length && ts[j]! <= ref) j++;
        const last = j - 1;
        if (last < 0 || ts[last]! <= ref - ctx.lookbackMs || s.stale?.[last] === 1) continue;
        values[i] = mode === 'value' ? s.values[last]! : ts[last]! / 1000;
        present[i] = 1;
        if (hist) {
          // A reset-hinted sample seen again at a later step must not count as a reset again.
          const h = hs![last];
          hist[i] = h?.hint === 'reset' && last === prevLast ? withHint(h, 'unknown') : h;
          prevLast = last;
        }
        any = true;
      }
    }
    if (any)
      out.push(
        hist ? { labels: s.labels, values, present, hist } : { labels: s.labels, values, present },
      );
  }
  return out;
}

function sampleAt(s: SeriesData, ref: number, lookbackMs: number): number {
  const ts = s.timestamps;
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= ref) lo = mid + 1;
    else hi = mid;
  }
  const last = lo - 1;
  if (last < 0 || ts[last]! <= ref - lookbackMs || s.stale?.[last] === 1) return -1;
  return last;
}

/** A series' samples for range functions: staleness markers removed (they never count). */
export interface RangeInput {
  readonly labels: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /** Histogram samples parallel to `ts` (undefined entries are floats); absent if none. */
  readonly hs?: readonly (FloatHistogram | undefined)[] | undefined;
}

export function withoutStale(s: SeriesData): RangeInput {
  if (!s.stale?.includes(1))
    return { labels: s.labels, ts: s.timestamps, vs: s.values, hs: s.histograms };
  const keep: number[] = [];
  for (let i = 0; i < s.timestamps.length; i++) if (s.stale[i] !== 1) keep.push(i);
  const hs = s.histograms ? keep.map((i) => s.histograms![i]) : undefined;
  return {
    labels: s.labels,
    ts: Float64Array.from(keep, (i) => s.timestamps[i]!),
    vs: Float64Array.from(keep, (i) => s.values[i]!),
    hs: hs?.some((h) => h !== undefined) ? hs : undefined,
  };
}

/**
 * Calls `fn(step, lo, hi, refT)` with the sample index range [lo, hi) inside (refT - range, refT]
 * for every step. Steps move forward, so both bounds only ever advance.
 */
export function forEachWindow(
  ts: Float64Array,
  ctx: EvalContext,
  rangeMs: number,
  offsetMs: number,
  atMs: number | undefined,
  fn: (step: number, lo: number, hi: number, refT: number) => void,
): void {
  let lo = 0;
  let hi = 0;
  if (atMs !== undefined) {
    const ref = atMs - offsetMs;
    while (lo < ts.length && ts[lo]! <= ref - rangeMs) lo++;
    hi = lo;
    while (hi < ts.length && ts[hi]! <= ref) hi++;
    for (let i = 0; i < ctx.n; i++) fn(i, lo, hi, ref);
    return;
  }
  for (let i = 0; i < ctx.n; i++) {
    const ref = ctx.times[i]! - offsetMs;
    while (lo < ts.length && ts[lo]! <= ref - rangeMs) lo++;
    if (hi < lo) hi = lo;
    while (hi < ts.length && ts[hi]! <= ref) hi++;
    fn(i, lo, hi, ref);
  }
}
