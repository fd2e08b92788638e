import type { Call, Expr } from '../ast/ast.js';
import { Labels, METRIC_NAME } from '../labels/labels.js';
import type { Evaluator } from '../eval/evaluator.js';
import { evalVectorSelector } from '../eval/selectors.js';
import { executionError, SeriesBuilder } from '../eval/series-builder.js';
import type { EvalValue, StepSeries } from '../eval/values.js';
import { typeOf } from '../parser/check-ast.js';
import { evalRangeFunction, absentOverTime } from './call-range.js';
import { histogramFraction, histogramQuantile } from './histogram-quantile.js';
import { histogramStat } from './histogram-functions.js';
import { floatView } from '../eval/aggregate-histogram.js';
import { DATE_FUNCTIONS, INSTANT_FUNCTIONS } from './instant-functions.js';
import { labelJoin, labelReplace } from './label-functions.js';
import { sortByLabel, sortByValue } from './sort-functions.js';
import { RANGE_FUNCTIONS } from './range-functions.js';

function unwrapParens(e: Expr): Expr {
  return e.type === 'paren' ? unwrapParens(e.expr) : e;
}

/**
 * Applies an element-wise function, dropping `__name__` from every output series. Native
 * histogram samples are skipped (math on floats only) unless `histogramsToo`.
 */
function mapSeries(
  ev: Evaluator,
  input: StepSeries[],
  fn: (v: number, i: number) => number,
  histogramsToo = false,
): EvalValue {
  const builder = new SeriesBuilder(ev.ctx.n);
  for (const s0 of input) {
    const s = histogramsToo ? s0 : floatView(s0);
    const values = new Float64Array(s.values.length);
    for (let i = 0; i < values.length; i++) if (s.present[i] === 1) values[i] = fn(s.values[i]!, i);
    builder.merge(s.labels.dropName(), { labels: s.labels, values, present: s.present });
  }
  return { kind: 'vector', series: builder.result() };
}

function absentLabels(arg: Expr): Labels {
  const e = arg.type === 'matrixSelector' ? arg.selector : arg;
  if (e.type !== 'vectorSelector') return Labels.EMPTY;
  const set = new Map<string, string>();
  const seen = new Set<string>();
  for (const m of e.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !seen.has(m.name)) {
      set.set(m.name, m.value);
      seen.add(m.name);
    } else set.delete(m.name);
  }
  return Labels.from(set);
}

export function evalCall(e: Call, ev: Evaluator): EvalValue {
  const ctx = ev.ctx;
  const n = ctx.n;
  if (RANGE_FUNCTIONS.has(e.func)) return evalRangeFunction(e, ev);
  if (e.func === 'absent_over_time')
    return absentOverTime(e, ev, absentLabels(unwrapParens(e.args[0]!)));
  const instant = INSTANT_FUNCTIONS.get(e.func);
  if (instant) {
    if (DATE_FUNCTIONS.has(e.func) && e.args.length === 0) {
      const labels = Labels.EMPTY;
      const values = Float64Array.from(ctx.times, (t) => instant(t / 1000, []));
      return { kind: 'vector', series: [{ labels, values, present: new Uint8Array(n).fill(1) }] };
    }
    const input = ev.vector(e.args[0]!);
    const params = e.args.slice(1).map((a) => ev.scalar(a));
    if (e.func === 'clamp') {
      const series = input.map((s) => ({ ...s, present: s.present.slice() }));
      for (let i = 0; i < n; i++) {
        if (params[1]![i]! < params[0]![i]!) for (const s of series) s.present[i] = 0;
      }
      const p = [0, 0];
      return mapSeries(
        ev,
        series.filter((s) => s.present.includes(1)),
        (v, i) => {
          p[0] = params[0]![i]!;
          p[1] = params[1]![i]!;
          return instant(v, p);
        },
      );
    }
    const p: number[] = new Array<number>(params.length).fill(0);
    return mapSeries(ev, input, (v, i) => {
      for (let k = 0; k < params.length; k++) p[k] = params[k]![i]!;
      return instant(v, p);
    });
  }
  switch (e.func) {
    case 'time':
      return { kind: 'scalar', values: ctx.times.map((t) => t / 1000) };
    case 'pi':
      return { kind: 'scalar', values: new Float64Array(n).fill(Math.PI) };
    case 'vector': {
      const values = ev.scalar(e.args[0]!);
      return {
        kind: 'vector',
        series: [{ labels: Labels.EMPTY, values, present: new Uint8Array(n).fill(1) }],
      };
    }
    case 'scalar': {
      const input = ev.vector(e.args[0]!);
      const out = new Float64Array(n).fill(NaN);
      for (let i = 0; i < n; i++) {
        let count = 0;
        for (const s of input) {
          if (s.present[i] !== 1 || s.hist?.[i] !== undefined) continue;
          count++;
          out[i] = s.values[i]!;
        }
        if (count !== 1) out[i] = NaN;
      }
      return { kind: 'scalar', values: out };
    }
    case 'timestamp': {
      const arg = unwrapParens(e.args[0]!);
      if (arg.type === 'vectorSelector') {
        return mapSeries(ev, evalVectorSelector(arg, ctx, 'timestamp'), (v) => v, true);
      }
      return mapSeries(ev, ev.vector(arg), (_v, i) => ctx.times[i]! / 1000, true);
    }
    case 'absent': {
      const input = ev.vector(e.args[0]!);
      const values = new Float64Array(n).fill(1);
      const present = new Uint8Array(n).fill(1);
      for (const s of input) for (let i = 0; i < n; i++) if (s.present[i] === 1) present[i] = 0;
      const series = present.includes(1)
        ? [{ labels: absentLabels(unwrapParens(e.args[0]!)), values, present }]
        : [];
      return { kind: 'vector', series };
    }
    case 'label_replace':
      return { kind: 'vector', series: labelReplace(e, ev) };
    case 'label_join':
      return { kind: 'vector', series: labelJoin(e, ev) };
    case 'sort':
    case 'sort_desc':
      return {
        kind: 'vector',
        series: sortByValue(
          ev.vector(e.args[0]!).filter((s) => n !== 1 || s.hist?.[0] === undefined),
          e.func === 'sort_desc',
          n,
        ),
      };
    case 'sort_by_label':
    case 'sort_by_label_desc':
      return { kind: 'vector', series: sortByLabel(e, ev) };
    case 'histogram_quantile':
      return { kind: 'vector', series: histogramQuantile(e, ev) };
    case 'histogram_fraction':
      return { kind: 'vector', series: histogramFraction(e, ev) };
    case 'histogram_avg':
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_stddev':
    case 'histogram_stdvar':
      return { kind: 'vector', series: histogramStat(e, ev) };
    default:
      throw executionError(`function ${JSON.stringify(e.func)} is not supported (${typeOf(e)})`);
  }
}
