import type { Aggregate, Binary, Call, Expr, ValueType, VectorSelector } from '../ast/ast.js';
import { CompiledMatcher } from '../labels/matcher.js';
import { FUNCTIONS } from './function-signatures.js';
import { PositionedError } from './parse-error.js';

/** Static type of an expression, as Prometheus's parser computes it. */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vectorSelector':
      return 'vector';
    case 'matrixSelector':
    case 'subquery':
      return 'matrix';
    case 'unary':
    case 'paren':
      return typeOf(e.expr);
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'aggregate':
      return 'vector';
    case 'call':
      return FUNCTIONS.get(e.func)?.returns ?? 'vector';
  }
}

export function typeName(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

function expectType(e: Expr, want: ValueType, context: string): void {
  const got = typeOf(e);
  if (got !== want) {
    throw new PositionedError(
      e.pos,
      `expected type ${typeName(want)} in ${context}, got ${typeName(got)}`,
    );
  }
}

export function checkSelector(vs: VectorSelector): void {
  const nonEmpty = vs.matchers.some((m) => !new CompiledMatcher(m).matchesEmpty());
  if (!nonEmpty) {
    throw new PositionedError(
      vs.pos,
      'vector selector must contain at least one non-empty matcher',
    );
  }
}

export function checkBinary(b: Binary, hasMatchingClause: boolean, hasGrouping: boolean): void {
  const lt = typeOf(b.lhs);
  const rt = typeOf(b.rhs);
  const comparison = ['==', '!=', '>', '<', '>=', '<='].includes(b.op);
  const setOp = b.op === 'and' || b.op === 'or' || b.op === 'unless';
  if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) {
    throw new PositionedError(
      b.pos,
      'binary expression must contain only scalar and instant vector types',
    );
  }
  if (b.bool && !comparison) {
    throw new PositionedError(b.pos, 'bool modifier can only be used on comparison operators');
  }
  if (comparison && !b.bool && lt === 'scalar' && rt === 'scalar') {
    throw new PositionedError(b.pos, 'comparisons between scalars must use BOOL modifier');
  }
  if (setOp && (lt === 'scalar' || rt === 'scalar')) {
    throw new PositionedError(
      b.pos,
      `set operator ${JSON.stringify(b.op)} not allowed in binary scalar expression`,
    );
  }
  if (hasMatchingClause && (lt !== 'vector' || rt !== 'vector')) {
    throw new PositionedError(b.pos, 'vector matching only allowed between instant vectors');
  }
  if (setOp && hasGrouping) {
    throw new PositionedError(b.pos, `no grouping allowed for ${JSON.stringify(b.op)} operation`);
  }
}

export function checkAggregate(a: Aggregate): void {
  expectType(a.expr, 'vector', 'aggregation expression');
  if (!a.param) return;
  if (a.op === 'count_values') expectType(a.param, 'string', 'aggregation parameter');
  else expectType(a.param, 'scalar', 'aggregation parameter');
}

export function checkCall(c: Call): void {
  const sig = FUNCTIONS.get(c.func);
  if (!sig)
    throw new PositionedError(c.pos, `unknown function with name ${JSON.stringify(c.func)}`);
  const n = c.args.length;
  const min = sig.variadic > 0 ? sig.args.length - sig.variadic : sig.args.length;
  if (sig.variadic === 0 && n !== sig.args.length) {
    throw new PositionedError(
      c.pos,
      `expected ${sig.args.length} argument(s) in call to ${JSON.stringify(c.func)}, got ${n}`,
    );
  }
  if (sig.variadic !== 0 && n < (sig.variadic < 0 ? sig.args.length - 1 : min)) {
    throw new PositionedError(
      c.pos,
      `expected at least ${sig.variadic < 0 ? sig.args.length - 1 : min} argument(s) in call to ${JSON.stringify(c.func)}, got ${n}`,
    );
  }
  if (sig.variadic > 0 && n > sig.args.length) {
    throw new PositionedError(
      c.pos,
      `expected at most ${sig.args.length} argument(s) in call to ${JSON.stringify(c.func)}, got ${n}`,
    );
  }
  c.args.forEach((arg, i) => {
    const want = sig.args[Math.min(i, sig.args.length - 1)]!;
    expectType(arg, want, `call to function ${JSON.stringify(c.func)}`);
  });
}
