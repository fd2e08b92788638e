import type { Expr, MatrixSelector, Subquery } from '../ast/ast.js';
import { compareLabels } from '../labels/labels.js';
import { aggregate } from './aggregate.js';
import { scalarBinary, setBinary, vectorBinary, vectorScalarBinary } from './binary.js';
import { resolveAt, withGrid } from './context.js';
import type { EvalContext } from './context.js';
import { evalVectorSelector, forEachWindow, withoutStale } from './selectors.js';
import type { RangeInput } from './selectors.js';
import { executionError, SeriesBuilder } from './series-builder.js';
import type { EvalValue, RangeSeries, StepSeries } from './values.js';
import { evalCall } from '../functions/call.js';
import { scaleHistogram } from '../histogram/histogram-math.js';

/** A range-vector argument: its series and how to window them on the current step grid. */
export interface RangeArg {
  readonly series: readonly RangeInput[];
  readonly rangeMs: number;
  readonly offsetMs: number;
  readonly atMs: number | undefined;
}

/** Evaluates an AST on a step grid; every node yields all steps at once. */
export class Evaluator {
  constructor(readonly ctx: EvalContext) {}

  eval(e: Expr): EvalValue {
    const ctx = this.ctx;
    switch (e.type) {
      case 'number':
        return { kind: 'scalar', values: new Float64Array(ctx.n).fill(e.value) };
      case 'string':
        return { kind: 'string', value: e.value };
      case 'paren':
        return this.eval(e.expr);
      case 'vectorSelector':
        return { kind: 'vector', series: evalVectorSelector(e, ctx) };
      case 'matrixSelector':
      case 'subquery':
        return this.matrixValue(e);
      case 'unary':
        return this.unary(e.op, this.eval(e.expr));
      case 'binary':
        return this.binary(e);
      case 'aggregate': {
        const input = this.vector(e.expr);
        let param: Float64Array | string | undefined;
        if (e.param) {
          const p = this.eval(e.param);
          param = p.kind === 'string' ? p.value : p.kind === 'scalar' ? p.values : undefined;
        }
        return { kind: 'vector', series: aggregate(e, input, param, ctx) };
      }
      case 'call':
        return evalCall(e, this);
    }
  }

  vector(e: Expr): StepSeries[] {
    const v = this.eval(e);
    if (v.kind !== 'vector') throw executionError(`expected instant vector, got ${v.kind}`);
    return v.series;
  }

  scalar(e: Expr): Float64Array {
    const v = this.eval(e);
    if (v.kind !== 'scalar') throw executionError(`expected scalar, got ${v.kind}`);
    return v.values;
  }

  private unary(op: '-' | '+', v: EvalValue): EvalValue {
    if (op === '+') return v;
    if (v.kind === 'scalar') return { kind: 'scalar', values: v.values.map((x) => -x) };
    if (v.kind !== 'vector') throw executionError('unary minus on non-numeric value');
    const builder = new SeriesBuilder(this.ctx.n);
    for (const s of v.series) {
      const hist = s.hist?.map((h) => (h ? scaleHistogram(h, -1) : undefined));
      builder.merge(s.labels.dropName(), { ...s, values: s.values.map((x) => -x), hist });
    }
    return { kind: 'vector', series: builder.result() };
  }

  private binary(e: Extract<Expr, { type: 'binary' }>): EvalValue {
    const l = this.eval(e.lhs);
    const r = this.eval(e.rhs);
    if (l.kind === 'scalar' && r.kind === 'scalar') return scalarBinary(e, l, r, this.ctx);
    if (l.kind === 'vector' && r.kind === 'scalar') {
      return { kind: 'vector', series: vectorScalarBinary(e, l.series, r.values, false, this.ctx) };
    }
    if (l.kind === 'scalar' && r.kind === 'vector') {
      return { kind: 'vector', series: vectorScalarBinary(e, r.series, l.values, true, this.ctx) };
    }
    if (l.kind === 'vector' && r.kind === 'vector') {
      const series =
        e.op === 'and' || e.op === 'or' || e.op === 'unless'
          ? setBinary(e, l.series, r.series, this.ctx)
          : vectorBinary(e, l.series, r.series, this.ctx);
      return { kind: 'vector', series };
    }
    throw executionError('binary expression must contain only scalar and instant vector types');
  }

  /** Resolves a range-vector argument (matrix selector or subquery, maybe in parens). */
  rangeArg(e: Expr): RangeArg {
    if (e.type === 'paren') return this.rangeArg(e.expr);
    if (e.type === 'matrixSelector') {
      const vs = e.selector;
      const data = this.ctx.data.get(vs) ?? [];
      return {
        series: data.map(withoutStale),
        rangeMs: e.rangeMs,
        offsetMs: vs.offsetMs,
        atMs: resolveAt(vs.at, this.ctx),
      };
    }
    if (e.type === 'subquery') return this.subquery(e);
    throw executionError(`expected range vector, got ${e.type}`);
  }

  private subquery(e: Subquery): RangeArg {
    const ctx = this.ctx;
    const at = resolveAt(e.at, ctx);
    const step = e.stepMs > 0 ? e.stepMs : ctx.subqueryStepMs;
    const outerStart = (at ?? ctx.startMs) - e.offsetMs;
    const outerEnd = (at ?? ctx.endMs) - e.offsetMs;
    // First step-aligned time strictly after the window start, as Prometheus aligns subqueries.
    const boundary = outerStart - e.rangeMs;
    const start = Math.floor(boundary / step) * step + step;
    const inner = new Evaluator(withGrid(ctx, start, outerEnd, step));
    const v = inner.eval(e.expr);
    if (v.kind !== 'vector') throw executionError('subquery is only allowed on instant vector');
    const series = v.series.map((s): RangeInput => {
      const idx: number[] = [];
      for (let i = 0; i < s.present.length; i++) if (s.present[i] === 1) idx.push(i);
      return {
        labels: s.labels,
        ts: Float64Array.from(idx, (i) => inner.ctx.times[i]!),
        vs: Float64Array.from(idx, (i) => s.values[i]!),
        hs: s.hist ? idx.map((i) => s.hist![i]) : undefined,
      };
    });
    return { series, rangeMs: e.rangeMs, offsetMs: e.offsetMs, atMs: at };
  }

  /** A range vector as a query result (instant queries only): the samples in each window. */
  private matrixValue(e: MatrixSelector | Subquery): EvalValue {
    if (this.ctx.n !== 1) {
      throw executionError(
        'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
      );
    }
    const arg = this.rangeArg(e);
    const out: RangeSeries[] = [];
    for (const s of arg.series) {
      forEachWindow(s.ts, this.ctx, arg.rangeMs, arg.offsetMs, arg.atMs, (_step, lo, hi) => {
        if (hi > lo) {
          out.push({
            labels: s.labels,
            timestamps: s.ts.slice(lo, hi),
            values: s.vs.slice(lo, hi),
            histograms: s.hs?.slice(lo, hi),
          });
        }
      });
    }
    out.sort((a, b) => compareLabels(a.labels, b.labels));
    return { kind: 'matrix', series: out };
  }
}
