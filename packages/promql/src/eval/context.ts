import type { AtModifier, VectorSelector } from '../ast/ast.js';
import type { SeriesData } from '../storage/series-source.js';
import type { Annotations } from './annotations.js';

/** The step grid an expression is evaluated on, plus what every node needs to evaluate. */
export interface EvalContext {
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  /** Step of subqueries written without one. */
  readonly subqueryStepMs: number;
  /** Number of steps; `times[i] = startMs + i * stepMs`. */
  readonly n: number;
  readonly times: Float64Array;
  /** The top-level query's start and end, which `@ start()` and `@ end()` refer to. */
  readonly queryStartMs: number;
  readonly queryEndMs: number;
  readonly lookbackMs: number;
  readonly data: ReadonlyMap<VectorSelector, readonly SeriesData[]>;
  readonly annotations: Annotations;
}

export function stepTimes(startMs: number, endMs: number, stepMs: number): Float64Array {
  const n = stepMs > 0 ? Math.floor((endMs - startMs) / stepMs) + 1 : 1;
  const times = new Float64Array(Math.max(n, 0));
  for (let i = 0; i < times.length; i++) times[i] = startMs + i * stepMs;
  return times;
}

export function withGrid(
  ctx: EvalContext,
  startMs: number,
  endMs: number,
  stepMs: number,
): EvalContext {
  const times = stepTimes(startMs, endMs, stepMs);
  return { ...ctx, startMs, endMs, stepMs, n: times.length, times };
}

export function resolveAt(at: AtModifier | undefined, ctx: EvalContext): number | undefined {
  if (!at) return undefined;
  switch (at.kind) {
    case 'time':
      return at.ms;
    case 'start':
      return ctx.queryStartMs;
    case 'end':
      return ctx.queryEndMs;
  }
}
