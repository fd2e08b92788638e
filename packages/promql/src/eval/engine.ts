import { AppError } from '@o2/errors';
import type { Expr } from '../ast/ast.js';
import type { FloatHistogram } from '../histogram/histogram.js';
import { compareLabels, Labels } from '../labels/labels.js';
import { typeOf } from '../parser/check-ast.js';
import { parsePromql } from '../parser/parse.js';
import type { SeriesSource } from '../storage/series-source.js';
import { Annotations } from './annotations.js';
import { stepTimes } from './context.js';
import type { EvalContext } from './context.js';
import { Evaluator } from './evaluator.js';
import { prefetchSelectors } from './prefetch.js';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (Prometheus default 5 m). */
  readonly lookbackDeltaMs?: number;
  /** Step of a subquery written without one (`x[1h:]`); Prometheus's global evaluation interval. */
  readonly noStepSubqueryIntervalMs?: number;
  /** Most steps a range query may have (Prometheus's API rejects more than 11,000). */
  readonly maxSteps?: number;
}

export interface InstantSample {
  readonly labels: Labels;
  /** ms */
  readonly t: number;
  /** The float value; for a histogram sample its count (use `h`). */
  readonly v: number;
  /** Set when the sample is a native histogram. */
  readonly h?: FloatHistogram | undefined;
}

export interface MatrixSeries {
  readonly labels: Labels;
  /** ms, ascending */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  /** Histogram samples parallel to `timestamps` (undefined where float); absent if none. */
  readonly histograms?: readonly (FloatHistogram | undefined)[] | undefined;
}

export type QueryData =
  | { readonly resultType: 'vector'; readonly result: InstantSample[] }
  | { readonly resultType: 'matrix'; readonly result: MatrixSeries[] }
  | { readonly resultType: 'scalar'; readonly result: { t: number; v: number } }
  | { readonly resultType: 'string'; readonly result: { t: number; v: string } };

export type QueryResult = QueryData & {
  readonly warnings: string[];
  readonly infos: string[];
};

/** PromQL evaluation over a `SeriesSource`: instant and range queries with Prometheus semantics. */
export class PromqlEngine {
  readonly #source: SeriesSource;
  readonly #lookbackMs: number;
  readonly #subqueryStepMs: number;
  readonly #maxSteps: number;

  constructor(source: SeriesSource, options: EngineOptions = {}) {
    this.#source = source;
    this.#lookbackMs = options.lookbackDeltaMs ?? 300_000;
    this.#subqueryStepMs = options.noStepSubqueryIntervalMs ?? 60_000;
    this.#maxSteps = options.maxSteps ?? 11_000;
  }

  async instantQuery(query: string | Expr, timeMs: number): Promise<QueryResult> {
    return this.#run(query, timeMs, timeMs, 0);
  }

  async rangeQuery(
    query: string | Expr,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Promise<QueryResult> {
    if (!(stepMs > 0)) {
      throw AppError.invalidArgument(
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    }
    if (endMs < startMs)
      throw AppError.invalidArgument('end timestamp must not be before start time');
    if ((endMs - startMs) / stepMs > this.#maxSteps) {
      throw AppError.invalidArgument(
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    }
    return this.#run(query, startMs, endMs, stepMs);
  }

  async #run(
    query: string | Expr,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Promise<QueryResult> {
    const expr = typeof query === 'string' ? parsePromql(query) : query;
    const type = typeOf(expr);
    if (stepMs > 0 && type !== 'scalar' && type !== 'vector') {
      throw invalidRangeType(type === 'matrix' ? 'range vector' : type);
    }
    const data = await prefetchSelectors(expr, this.#source, {
      startMs,
      endMs,
      queryStartMs: startMs,
      queryEndMs: endMs,
      lookbackMs: this.#lookbackMs,
    });
    for (const [vs, series] of data) {
      data.set(
        vs,
        [...series].sort((a, b) => compareLabels(a.labels, b.labels)),
      );
    }
    const times = stepTimes(startMs, endMs, stepMs);
    const annotations = new Annotations();
    const ctx: EvalContext = {
      startMs,
      endMs,
      stepMs: stepMs > 0 ? stepMs : this.#subqueryStepMs,
      subqueryStepMs: this.#subqueryStepMs,
      n: times.length,
      times,
      queryStartMs: startMs,
      queryEndMs: endMs,
      lookbackMs: this.#lookbackMs,
      data,
      annotations,
    };
    const value = new Evaluator(ctx).eval(expr);
    const meta = { warnings: [...annotations.warnings], infos: [...annotations.infos] };
    const instant = stepMs === 0;
    switch (value.kind) {
      case 'string':
        if (!instant) throw invalidRangeType('string');
        return { resultType: 'string', result: { t: startMs, v: value.value }, ...meta };
      case 'scalar':
        if (instant)
          return { resultType: 'scalar', result: { t: startMs, v: value.values[0]! }, ...meta };
        return {
          resultType: 'matrix',
          result: [{ labels: Labels.EMPTY, timestamps: times, values: value.values }],
          ...meta,
        };
      case 'matrix':
        return {
          resultType: 'matrix',
          result: value.series.map((s) => ({
            labels: s.labels,
            timestamps: s.timestamps,
            values: s.values,
            histograms: s.histograms,
          })),
          ...meta,
        };
      case 'vector': {
        if (instant) {
          const result = value.series
            .filter((s) => s.present[0] === 1)
            .map((s) => ({ labels: s.labels, t: startMs, v: s.values[0]!, h: s.hist?.[0] }));
          return { resultType: 'vector', result, ...meta };
        }
        const result: MatrixSeries[] = [];
        for (const s of value.series) {
          let count = 0;
          for (let i = 0; i < s.present.length; i++) count += s.present[i]!;
          if (count === 0) continue;
          const ts = new Float64Array(count);
          const vs = new Float64Array(count);
          const hs = s.hist ? new Array<FloatHistogram | undefined>(count) : undefined;
          let k = 0;
          for (let i = 0; i < s.present.length; i++) {
            if (s.present[i] !== 1) continue;
            ts[k] = times[i]!;
            if (hs) hs[k] = s.hist![i];
            vs[k++] = s.values[i]!;
          }
          result.push({ labels: s.labels, timestamps: ts, values: vs, histograms: hs });
        }
        result.sort((a, b) => compareLabels(a.labels, b.labels));
        return { resultType: 'matrix', result, ...meta };
      }
    }
  }
}

function invalidRangeType(t: string): AppError {
  return AppError.invalidArgument(
    `invalid expression type "${t}" for range query, must be Scalar or instant Vector`,
  );
}
