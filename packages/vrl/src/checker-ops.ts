// Operators for the checker: `&&`, `||` and `??` run their right side conditionally; the
// arithmetic, comparison and merge operators fail on kinds they do not accept.
import type { Expr } from './ast.js';
import { only, NUMERIC, type Checker, type Env, type Kinds, type Result } from './checker.js';
import { certain, orKinds, union } from './checker-rules.js';
import { lacks, mergeKinds } from './shape.js';
import { VFloat, type Kind } from './value.js';

const kinds = (...k: Kind[]): Kinds => new Set(k);

/**
 * The right side of `&&`, `||` and `??` runs conditionally: its assignments are merged into the
 * environment as possible, applied when a constant left side always runs it, and dropped (with
 * its fallibility) when a constant left side never does.
 */
function conditional(c: Checker, e: Expr & { type: 'binary' }, l: Result, env: Env): Result {
  const renv = new Map(env);
  const r = c.expr(e.right, renv);
  const lit = e.left.type === 'literal' ? e.left.value : undefined;
  const never =
    (e.op === '||' && lit === true) ||
    (e.op === '&&' && lit === false) ||
    (e.op === '??' && l.fail === undefined && certain(e.left));
  const always =
    (e.op === '||' && (lit === false || lit === null)) || (e.op === '&&' && lit === true);
  if (never) return { kinds: r.kinds };
  for (const [k, v] of renv) {
    if (always) env.set(k, v);
    else if (env.get(k) !== v) env.set(k, union(c.rootKinds(k, env), v));
  }
  return r;
}

export function checkBinary(c: Checker, e: Expr & { type: 'binary' }, env: Env): Result {
  const l = c.expr(e.left, env);
  if (e.op === '??') {
    if (l.fail === undefined && certain(e.left))
      c.report(651, 'unnecessary error coalescing operation', e.left);
    const r = conditional(c, e, l, env);
    return { kinds: union(l.kinds, r.kinds), ...(r.fail ? { fail: r.fail } : {}) };
  }
  const r = e.op === '&&' || e.op === '||' ? conditional(c, e, l, env) : c.expr(e.right, env);
  const inherited = l.fail ?? r.fail;
  let ok = true;
  let out: Kinds = 'unknown';
  switch (e.op) {
    case '==':
    case '!=':
      out = kinds('boolean');
      break;
    case '&&':
    case '||':
      out = e.op === '&&' ? kinds('boolean') : orKinds(e.left, l.kinds, r.kinds);
      break;
    case '<':
    case '<=':
    case '>':
    case '>=':
      ok =
        (only(l.kinds, NUMERIC) && only(r.kinds, NUMERIC)) ||
        (only(l.kinds, new Set(['string'])) && only(r.kinds, new Set(['string']))) ||
        (only(l.kinds, new Set(['timestamp'])) && only(r.kinds, new Set(['timestamp'])));
      out = kinds('boolean');
      break;
    case '|':
      ok = only(l.kinds, new Set(['object'])) && only(r.kinds, new Set(['object']));
      if (lacks(l.kinds, 'object') || lacks(r.kinds, 'object')) {
        c.report(652, 'only objects can be merged', e);
        ok = true;
      }
      out = mergeKinds(l.kinds, r.kinds);
      break;
    case '/': {
      // Only a literal zero divisor makes a numeric division fallible.
      const zero =
        e.right.type === 'literal' &&
        (e.right.value === 0 || (e.right.value instanceof VFloat && e.right.value.n === 0));
      ok = only(l.kinds, NUMERIC) && !zero && only(r.kinds, NUMERIC);
      out = kinds('float');
      break;
    }
    default: {
      const numeric = only(l.kinds, NUMERIC) && only(r.kinds, NUMERIC);
      const strings =
        e.op === '+' &&
        only(l.kinds, new Set(['string', 'null'])) &&
        only(r.kinds, new Set(['string', 'null']));
      const repeat =
        e.op === '*' &&
        only(l.kinds, new Set(['string', 'integer'])) &&
        only(r.kinds, new Set(['string', 'integer']));
      ok = numeric || strings || repeat;
      out = numeric
        ? l.kinds !== 'unknown' &&
          r.kinds !== 'unknown' &&
          [...l.kinds, ...r.kinds].includes('float')
          ? kinds('float')
          : l.kinds === 'unknown'
            ? 'unknown'
            : kinds('integer')
        : strings
          ? kinds('string')
          : 'unknown';
    }
  }
  const fail = inherited ?? (ok ? undefined : { code: 100, span: e, message: 'unhandled error' });
  return { kinds: out, ...(fail ? { fail } : {}) };
}
