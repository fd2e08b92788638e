import type { Expr } from '../ast/ast.js';

/** Functions whose value depends on the evaluation time even with step-invariant arguments. */
const AT_UNSAFE = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
]);

function containsUnsafe(e: Expr): boolean {
  switch (e.type) {
    case 'call':
      return AT_UNSAFE.has(e.func) || e.args.some(containsUnsafe);
    case 'aggregate':
      return containsUnsafe(e.expr) || (e.param !== undefined && containsUnsafe(e.param));
    case 'binary':
      return containsUnsafe(e.lhs) || containsUnsafe(e.rhs);
    case 'unary':
    case 'paren':
    case 'subquery':
      return containsUnsafe(e.expr);
    case 'number':
    case 'string':
    case 'vectorSelector':
    case 'matrixSelector':
      return false;
  }
}

function pin(e: Expr, ms: number): Expr {
  const at = { kind: 'time' as const, ms };
  switch (e.type) {
    case 'vectorSelector':
      return e.at ? e : { ...e, at };
    case 'matrixSelector':
      return e.selector.at ? e : { ...e, selector: { ...e.selector, at } };
    case 'subquery':
      // Selectors inside a subquery are left alone: the subquery itself is pinned.
      return e.at ? e : { ...e, at };
    case 'call':
      return { ...e, args: e.args.map((a) => pin(a, ms)) };
    case 'aggregate':
      return { ...e, expr: pin(e.expr, ms), param: e.param && pin(e.param, ms) };
    case 'binary':
      return { ...e, lhs: pin(e.lhs, ms), rhs: pin(e.rhs, ms) };
    case 'unary':
    case 'paren':
      return { ...e, expr: pin(e.expr, ms) };
    case 'number':
    case 'string':
      return e;
  }
}

/**
 * promqltest's "@ modifier" cross-check: with every selector pinned to the original evaluation
 * time, the query must give the same result when evaluated at quite different times.
 */
export function atModifierCases(expr: Expr, evalMs: number): { expr: Expr; evalMs: number }[] {
  if (containsUnsafe(expr)) return [];
  const pinned = pin(expr, evalMs);
  const times =
    evalMs === 0 ? [-1000, 1000] : [-10 * evalMs, 0, Math.trunc(evalMs / 5), 10 * evalMs];
  return times.map((t) => ({ expr: pinned, evalMs: t }));
}
