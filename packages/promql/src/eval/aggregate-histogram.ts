import type { Aggregate } from '../ast/ast.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import {
  addHistograms,
  divideHistogram,
  IncompatibleHistogramsError,
} from '../histogram/histogram-math.js';
import type { Labels } from '../labels/labels.js';
import type { EvalContext } from './context.js';
import { incompatibleWarning } from './binary-histogram.js';
import { setHist } from './values.js';
import type { StepSeries } from './values.js';

interface Group {
  labels: Labels;
  members: StepSeries[];
}

/** A series with its histogram steps masked out: what float-only aggregation code may see. */
export function floatView(s: StepSeries): StepSeries {
  if (!s.hist) return s;
  const present = s.present.slice();
  for (let i = 0; i < present.length; i++) if (s.hist[i] !== undefined) present[i] = 0;
  return { labels: s.labels, values: s.values, present };
}

export function hasHistograms(groups: readonly Group[]): boolean {
  return groups.some((g) => g.members.some((s) => s.hist?.some((h) => h !== undefined)));
}

/** The same groups with float views of their members (histograms invisible). */
export function floatGroups(groups: readonly Group[]): Group[] {
  return groups.map((g) => ({ labels: g.labels, members: g.members.map(floatView) }));
}

export function noteIgnoredHistograms(op: string, ctx: EvalContext): void {
  ctx.annotations.info(`ignored histogram in ${op} aggregation`);
}

/**
 * Adds the histogram members of a group to `out`, which already holds the float-only result:
 * `sum`/`avg` of histograms (a step with floats too gets nothing and a warning), `count` and
 * `group` count both kinds; the float-only aggregations note that histograms were ignored.
 */
export function mergeHistogramMembers(
  op: Aggregate['op'],
  g: Group,
  out: StepSeries,
  ctx: EvalContext,
): void {
  for (let i = 0; i < ctx.n; i++) {
    const hs: FloatHistogram[] = [];
    for (const s of g.members) {
      const h = s.hist?.[i];
      if (h !== undefined && s.present[i] === 1) hs.push(h);
    }
    if (hs.length === 0) continue;
    switch (op) {
      case 'sum':
      case 'avg': {
        if (out.present[i] === 1) {
          ctx.annotations.warn('encountered a mix of histograms and floats for aggregation');
          out.present[i] = 0;
          continue;
        }
        let acc: FloatHistogram | undefined;
        try {
          let total = hs[0]!;
          for (let k = 1; k < hs.length; k++) total = addHistograms(total, hs[k]!);
          acc = total;
        } catch (err) {
          if (!(err instanceof IncompatibleHistogramsError)) throw err;
          incompatibleWarning(err, ctx.annotations, '');
          acc = undefined;
        }
        if (!acc) continue;
        if (op === 'avg') acc = divideHistogram(acc, hs.length);
        out.present[i] = 1;
        out.values[i] = acc.count;
        setHist(out, i, acc);
        break;
      }
      case 'count':
        out.values[i] = (out.present[i] === 1 ? out.values[i]! : 0) + hs.length;
        out.present[i] = 1;
        break;
      case 'group':
        out.values[i] = 1;
        out.present[i] = 1;
        break;
      case 'min':
      case 'max':
      case 'stddev':
      case 'stdvar':
      case 'quantile':
      case 'topk':
      case 'bottomk':
      case 'limitk':
      case 'limit_ratio':
      case 'count_values':
        noteIgnoredHistograms(op, ctx);
    }
  }
}
