import type { Aggregate } from '../ast/ast.js';
import { formatFloatG, formatFloatPlain } from '../format/format-float.js';
import { Labels, METRIC_NAME } from '../labels/labels.js';
import { isValidUtf8, goQuote } from '../parser/string-literal.js';
import { kahanSumInc, quantileOf } from '../functions/kahan.js';
import type { EvalContext } from './context.js';
import { executionError, SeriesBuilder } from './series-builder.js';
import { newStepSeries } from './values.js';
import type { StepSeries } from './values.js';
import { selectK, limitRatioKeep } from './aggregate-k.js';

interface Group {
  labels: Labels;
  members: StepSeries[];
}

/** Splits input series into aggregation groups, in order of first appearance. */
export function groupSeries(e: Aggregate, input: StepSeries[]): Group[] {
  const names = new Set(e.grouping);
  if (e.without) names.add(METRIC_NAME);
  const groups = new Map<string, Group>();
  for (const s of input) {
    const key = s.labels.signature(names, !e.without);
    let g = groups.get(key);
    if (!g) {
      g = { labels: e.without ? s.labels.without(names) : s.labels.only(names), members: [] };
      groups.set(key, g);
    }
    g.members.push(s);
  }
  return [...groups.values()];
}

/** sum, avg, count, min, max, group, stddev, stdvar, quantile: one output series per group. */
function reduceGroup(
  op: Aggregate['op'],
  g: Group,
  n: number,
  param: Float64Array | undefined,
): StepSeries {
  const out = newStepSeries(g.labels, n);
  const scratch: number[] = [];
  for (let i = 0; i < n; i++) {
    let count = 0;
    let value = 0;
    let c = 0;
    let mean = 0;
    let incremental = false;
    scratch.length = 0;
    for (const s of g.members) {
      if (s.present[i] !== 1) continue;
      const v = s.values[i]!;
      count++;
      if (count === 1) {
        // A NaN or infinite member makes the deviation NaN rather than 0.
        value = op === 'stddev' || op === 'stdvar' ? (Number.isFinite(v) ? 0 : NaN) : v;
        mean = v;
        if (op === 'quantile') scratch.push(v);
        continue;
      }
      switch (op) {
        case 'sum':
          [value, c] = kahanSumInc(v, value, c);
          break;
        case 'avg': {
          if (!incremental) {
            const [nv, nc] = kahanSumInc(v, value, c);
            if (Number.isFinite(nv) || Number.isNaN(nv)) {
              value = nv;
              c = nc;
              break;
            }
            // The running sum would overflow: switch to an incremental mean.
            incremental = true;
            mean = value / (count - 1);
            c /= count - 1;
          }
          const q = (count - 1) / count;
          [mean, c] = kahanSumInc(v / count, q * mean, q * c);
          break;
        }
        case 'min':
          if (value > v || Number.isNaN(value)) value = v;
          break;
        case 'max':
          if (value < v || Number.isNaN(value)) value = v;
          break;
        case 'stddev':
        case 'stdvar': {
          const delta = v - mean;
          mean += delta / count;
          value += delta * (v - mean);
          break;
        }
        case 'quantile':
          scratch.push(v);
          break;
        default:
          break;
      }
    }
    if (count === 0) continue;
    let result: number;
    switch (op) {
      case 'sum':
        result = value + c;
        break;
      case 'avg':
        result = count === 1 ? value : incremental ? mean + c : value / count + c / count;
        break;
      case 'count':
        result = count;
        break;
      case 'group':
        result = 1;
        break;
      case 'stdvar':
        result = value / count;
        break;
      case 'stddev':
        result = Math.sqrt(value / count);
        break;
      case 'quantile':
        result = quantileOf(param![i]!, scratch);
        break;
      default:
        result = value;
    }
    out.values[i] = result;
    out.present[i] = 1;
  }
  return out;
}

/** Evaluates an aggregation given its evaluated input and (for k/q/ratio ops) its parameter. */
export function aggregate(
  e: Aggregate,
  input: StepSeries[],
  param: Float64Array | string | undefined,
  ctx: EvalContext,
): StepSeries[] {
  const n = ctx.n;
  if (e.op === 'count_values') return countValues(e, input, param as string, n);
  if (e.op === 'quantile') {
    const q = param as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = q[i]!;
      if (Number.isNaN(v) || v < 0 || v > 1) {
        ctx.annotations.warn(`quantile value should be between 0 and 1, got ${formatFloatG(v)}`);
      }
    }
  }
  const groups = groupSeries(e, input);
  if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk') {
    return selectK(e.op, groups, param as Float64Array, n);
  }
  if (e.op === 'limit_ratio') return limitRatio(groups, param as Float64Array, ctx);
  const out: StepSeries[] = [];
  for (const g of groups) {
    const s = reduceGroup(e.op, g, n, param as Float64Array | undefined);
    if (s.present.includes(1)) out.push(s);
  }
  return out;
}

function limitRatio(groups: Group[], ratios: Float64Array, ctx: EvalContext): StepSeries[] {
  const out: StepSeries[] = [];
  for (let i = 0; i < ctx.n; i++) {
    const r = ratios[i]!;
    if (r < -1 || r > 1) {
      const capped = r < -1 ? -1 : 1;
      ctx.annotations.warn(
        `ratio value should be between -1 and 1, got ${formatFloatG(r)}, capping to ${formatFloatG(capped)}`,
      );
    }
  }
  for (const g of groups) {
    for (const s of g.members) {
      const values = new Float64Array(ctx.n);
      const present = new Uint8Array(ctx.n);
      let any = false;
      for (let i = 0; i < ctx.n; i++) {
        if (s.present[i] !== 1) continue;
        const r = Math.max(-1, Math.min(1, ratios[i]!));
        if (!limitRatioKeep(s.labels, r)) continue;
        values[i] = s.values[i]!;
        present[i] = 1;
        any = true;
      }
      if (any) out.push({ labels: s.labels, values, present });
    }
  }
  return out;
}

function countValues(e: Aggregate, input: StepSeries[], label: string, n: number): StepSeries[] {
  if (!isValidUtf8(label) || label === '')
    throw executionError(`invalid label name ${goQuote(label)}`);
  const names = new Set(e.grouping);
  if (e.without) names.add(METRIC_NAME);
  const builder = new SeriesBuilder(n);
  const counts = new Map<string, { labels: Labels; counts: Float64Array }>();
  for (const s of input) {
    const base = e.without ? s.labels.without(names) : s.labels.only(names);
    for (let i = 0; i < n; i++) {
      if (s.present[i] !== 1) continue;
      const labels = base.with(label, formatFloatPlain(s.values[i]!));
      let entry = counts.get(labels.key);
      if (!entry) {
        entry = { labels, counts: new Float64Array(n) };
        counts.set(labels.key, entry);
      }
      entry.counts[i]!++;
    }
  }
  for (const { labels, counts: c } of counts.values()) {
    for (let i = 0; i < n; i++) if (c[i]! > 0) builder.set(labels, i, c[i]!);
  }
  return builder.result();
}
