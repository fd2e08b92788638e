import type { Call, Expr } from '../ast/ast.js';
import type { Labels } from '../labels/labels.js';
import { METRIC_NAME } from '../labels/labels.js';
import type { Evaluator } from '../eval/evaluator.js';
import { forEachWindow } from '../eval/selectors.js';
import { executionError, SeriesBuilder } from '../eval/series-builder.js';
import type { EvalValue } from '../eval/values.js';
import { formatFloatG } from '../format/format-float.js';
import { typeOf } from '../parser/check-ast.js';
import { KEEPS_NAME, RANGE_FUNCTIONS, resetPrefix, USES_RESET_PREFIX } from './range-functions.js';
import type { Window } from './range-functions.js';
import { evalMixedSeries } from './call-range-histogram.js';

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

function matrixArgIndex(args: readonly Expr[]): number {
  return args.findIndex((a) => typeOf(a) === 'matrix');
}

function formatGoF(x: number): string {
  return Number.isFinite(x) ? x.toFixed(6) : formatFloatG(x);
}

/** Functions over a range vector: one window per series per step, scalar params per step. */
export function evalRangeFunction(e: Call, ev: Evaluator): EvalValue {
  const ctx = ev.ctx;
  const fn = RANGE_FUNCTIONS.get(e.func)!;
  const mi = matrixArgIndex(e.args);
  const arg = ev.rangeArg(e.args[mi]!);
  const params = e.args.filter((_, i) => i !== mi).map((a) => ev.scalar(a));
  if (e.func === 'quantile_over_time' && arg.series.length > 0) {
    for (const q of new Set(params[0])) {
      if (Number.isNaN(q) || q < 0 || q > 1) {
        ctx.annotations.warn(`quantile value should be between 0 and 1, got ${formatFloatG(q)}`);
      }
    }
  }
  const keepName = KEEPS_NAME.has(e.func);
  const builder = new SeriesBuilder(ctx.n);
  const p = new Array<number>(params.length).fill(0);
  const w: { -readonly [K in keyof Window]: Window[K] } = {
    ts: new Float64Array(0),
    vs: new Float64Array(0),
    lo: 0,
    hi: 0,
    rangeStart: 0,
    rangeEnd: 0,
    rangeMs: arg.rangeMs,
    resetPrefix: undefined,
    evalT: 0,
  };
  const usesPrefix = USES_RESET_PREFIX.has(e.func);
  const smoothing = e.func === 'double_exponential_smoothing';
  const atRef = arg.atMs === undefined ? undefined : arg.atMs - arg.offsetMs;
  for (const s of arg.series) {
    const out = builder.series(keepName ? s.labels : s.labels.dropName());
    if (s.hs) {
      const floats = evalMixedSeries({
        func: e.func,
        fn,
        s: { ...s, hs: s.hs },
        rangeMs: arg.rangeMs,
        offsetMs: arg.offsetMs,
        atRef,
        params,
        beforeStep: smoothing ? checkSmoothing : () => undefined,
        out,
        ctx,
      });
      if (floats && (e.func === 'rate' || e.func === 'increase')) noteNonCounter(s.labels, ev);
      continue;
    }
    const ts = s.ts;
    w.ts = ts;
    w.vs = s.vs;
    // Worth it only when windows are long compared with the number of steps.
    w.resetPrefix = usesPrefix && ts.length > 64 ? resetPrefix(s.vs) : undefined;
    let produced = false;
    let lo = 0;
    let hi = 0;
    // Steps only move forward, so both window bounds only ever advance: one pass per series.
    for (let i = 0; i < ctx.n; i++) {
      const ref = atRef ?? ctx.times[i]! - arg.offsetMs;
      const from = ref - arg.rangeMs;
      while (lo < ts.length && ts[lo]! <= from) lo++;
      if (hi < lo) hi = lo;
      while (hi < ts.length && ts[hi]! <= ref) hi++;
      if (hi <= lo) continue;
      w.lo = lo;
      w.hi = hi;
      w.rangeStart = from;
      w.rangeEnd = ref;
      w.evalT = ctx.times[i]!;
      for (let k = 0; k < params.length; k++) p[k] = params[k]![i]!;
      if (smoothing) checkSmoothing(p);
      const v = fn(w, p);
      if (v === undefined) continue;
      if (out.present[i] === 1)
        throw executionError('vector cannot contain metrics with the same labelset');
      out.values[i] = v;
      out.present[i] = 1;
      produced = true;
    }
    if (produced && (e.func === 'rate' || e.func === 'increase')) noteNonCounter(s.labels, ev);
  }
  return { kind: 'vector', series: builder.result() };
}

function checkSmoothing(p: number[]): void {
  const [sf, tf] = p as [number, number];
  if (!(sf > 0 && sf < 1)) {
    throw executionError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoF(sf)}`);
  }
  if (!(tf > 0 && tf < 1)) {
    throw executionError(`invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoF(tf)}`);
  }
}

function noteNonCounter(labels: Labels, ev: Evaluator): void {
  const name = labels.get(METRIC_NAME);
  if (name === '' || COUNTER_SUFFIXES.some((s) => name.endsWith(s))) return;
  ev.ctx.annotations.info(
    `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(name)}`,
  );
}

/** 1 (with the selector's equality labels) at steps where no series has a sample in the window. */
export function absentOverTime(e: Call, ev: Evaluator, labels: Labels): EvalValue {
  const ctx = ev.ctx;
  const arg = ev.rangeArg(e.args[0]!);
  const present = new Uint8Array(ctx.n).fill(1);
  for (const s of arg.series) {
    forEachWindow(s.ts, ctx, arg.rangeMs, arg.offsetMs, arg.atMs, (i, lo, hi) => {
      if (hi > lo) present[i] = 0;
    });
  }
  if (!present.includes(1)) return { kind: 'vector', series: [] };
  return { kind: 'vector', series: [{ labels, values: new Float64Array(ctx.n).fill(1), present }] };
}
