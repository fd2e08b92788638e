// The fallibility rules VRL enforces at compile time, over kinds only: a fallible expression must
// be handled (`!`, `??`, `ok, err =`), else E100/E103 (or E110 when the failure comes from an
// argument whose type may not fit); handling what cannot fail is E104/E620/E651; a fallible
// argument is E630. Kinds flow through assignments and `if` branches; unknown is never blamed.
import type { AssignTarget, Expr } from './ast.js';
import { diagnostic, type Diagnostic, type Span } from './diagnostic.js';
import type { VrlFunction } from './function.js';
import { pathText } from './paths.js';
import {
  ALWAYS_FALLIBLE,
  certain,
  CLOSURE_RETURNS,
  defaultOf,
  orKinds,
  union,
  SAFE_INPUT,
} from './checker-rules.js';
import { RETURNS } from './returns.js';
import { kindOf, VFloat, type Kind, type Value } from './value.js';

/** Known kinds, `any` (may be anything: event data), or `unknown` (we cannot tell: never blamed). */
export type Kinds = ReadonlySet<Kind> | 'any' | 'unknown';

interface Fallibility {
  code: number;
  span: Span;
  message: string;
}

interface Result {
  kinds: Kinds;
  fail?: Fallibility;
}

const NUMERIC = new Set<Kind>(['integer', 'float']);

const kinds = (...k: Kind[]): Kinds => new Set(k);

/** Does a value of kinds `k` always fit `want`? (`unknown` is given the benefit of the doubt.) */
function fits(k: Kinds, want: readonly string[]): boolean {
  if (k === 'unknown' || want.includes('any')) return true;
  if (k === 'any') return false;
  return [...k].every((x) => want.includes(x));
}

function only(k: Kinds, allowed: ReadonlySet<Kind>): boolean {
  return k === 'unknown' || (k !== 'any' && [...k].every((x) => allowed.has(x)));
}

type Env = Map<string, Kinds>;

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  /** For each `ok, err = …`: the value `ok` takes on error (the default of the value's kind). */
  readonly okDefaults = new Map<Expr, Value>();
  /** Kinds of the `return`s met in the closure body being checked. */
  private returns: Kinds[] | undefined;
  /** For each `type_def(x)` call: the kinds inferred for `x` there. */
  readonly typeDefs = new Map<Expr, Kinds>();

  constructor(
    private readonly functions: ReadonlyMap<string, VrlFunction>,
    /** Functions given by the caller: their own `fallible` flag decides. */
    private readonly extra: ReadonlySet<string> = new Set(),
  ) {}

  private report(
    code: number,
    message: string,
    span: Span,
    severity: 'error' | 'warning' = 'error',
  ): void {
    this.diagnostics.push(
      diagnostic(code, message, { start: span.start, end: span.end }, [], severity),
    );
  }

  program(exprs: readonly Expr[]): Diagnostic[] {
    const env: Env = new Map();
    for (const e of exprs) this.statement(e, env);
    return this.diagnostics;
  }

  /** A block's statements: the first unhandled failure makes the whole block fallible. */
  private statements(exprs: readonly Expr[], env: Env): Result {
    let last: Kinds = kinds('null');
    let fail: Fallibility | undefined;
    for (const e of exprs) {
      const r = this.expr(e, env);
      last = r.kinds;
      fail ??=
        r.fail === undefined
          ? undefined
          : { ...r.fail, ...(r.fail.code === 110 ? {} : { span: e }) };
    }
    return { kinds: last, ...(fail ? { fail } : {}) };
  }

  /** A statement: a fallible value left unhandled here is reported. */
  private statement(e: Expr, env: Env): Kinds {
    const r = this.expr(e, env);
    if (r.fail !== undefined) {
      const f = r.fail;
      if (f.code === 110) this.report(110, f.message, f.span);
      else
        this.report(
          e.type === 'assign' ? 103 : 100,
          e.type === 'assign' ? 'unhandled fallible assignment' : 'unhandled error',
          e,
        );
    }
    return r.kinds;
  }

  private key(e: Expr & { type: 'query' }): string | undefined {
    if (e.root.kind === 'expr') return undefined;
    const prefix = e.root.kind === 'event' ? '.' : e.root.kind === 'meta' ? '%' : `${e.root.name}`;
    return pathText(prefix, e.path);
  }

  /**
   * Kinds at a path: what was assigned there; `unknown` below something assigned (we keep no
   * structure); `any` for event and metadata data the program never wrote.
   */
  private pathKinds(e: Expr & { type: 'query' }, env: Env): Kinds {
    const k = this.key(e);
    if (k === undefined) return 'unknown';
    const exact = env.get(k);
    if (exact !== undefined) return exact;
    // The event and metadata roots are objects until the program assigns something else.
    if (e.root.kind !== 'var' && e.path.length === 0) return kinds('object');
    for (const [key] of env) if (k.startsWith(key) || key === '.' || key === '%') return 'unknown';
    return e.root.kind === 'var' ? 'unknown' : 'any';
  }

  expr(e: Expr, env: Env): Result {
    switch (e.type) {
      case 'literal':
        return { kinds: kinds(kindOf(e.value)) };
      case 'template':
        return { kinds: kinds('string') };
      case 'query': {
        if (e.root.kind === 'expr') {
          const inner = this.expr(e.root.expr, env);
          const k: Kinds = e.path.length === 0 ? inner.kinds : 'unknown';
          return { kinds: k, ...(inner.fail ? { fail: inner.fail } : {}) };
        }
        return { kinds: this.pathKinds(e, env) };
      }
      case 'array':
      case 'object': {
        const items = e.type === 'array' ? e.items : e.entries.map(([, v]) => v);
        const fail = items.map((i) => this.expr(i, env).fail).find((f) => f !== undefined);
        return { kinds: kinds(e.type), ...(fail ? { fail } : {}) };
      }
      case 'block':
        return this.statements(e.exprs, env);
      case 'group':
        return this.expr(e.expr, env);
      case 'unary': {
        const r = this.expr(e.expr, env);
        let ok = e.op === '!' ? only(r.kinds, new Set(['boolean'])) : only(r.kinds, NUMERIC);
        const known = r.kinds !== 'any' && r.kinds !== 'unknown';
        if (!ok && known && e.op === '!') {
          this.report(660, 'non-boolean negation', e);
          ok = true; // reported once, as E660
        }
        const fail =
          r.fail ?? (ok ? undefined : { code: 100, span: e, message: 'unhandled error' });
        return { kinds: e.op === '!' ? kinds('boolean') : r.kinds, ...(fail ? { fail } : {}) };
      }
      case 'binary':
        return this.binary(e, env);
      case 'assign':
        return this.assign(e, env);
      case 'if': {
        const c = this.expr(e.cond, env);
        if (c.kinds !== 'any' && c.kinds !== 'unknown' && !fits(c.kinds, ['boolean'])) {
          this.report(102, 'non-boolean predicate', e.cond);
        }
        const thenEnv = new Map(env);
        const a = this.statements(e.then, thenEnv);
        const elseEnv = new Map(env);
        const b = e.otherwise ? this.statements(e.otherwise, elseEnv) : { kinds: kinds('null') };
        for (const k of new Set([...thenEnv.keys(), ...elseEnv.keys()])) {
          env.set(k, union(thenEnv.get(k) ?? 'any', elseEnv.get(k) ?? 'any'));
        }
        const fail = c.fail ?? a.fail ?? b.fail;
        return { kinds: union(a.kinds, b.kinds), ...(fail ? { fail } : {}) };
      }
      case 'call':
        return this.call(e, env);
      case 'abort': {
        if (e.message) {
          const m = this.expr(e.message, env);
          if (m.fail) this.report(631, 'unhandled fallible expression', e.message);
          else if (m.kinds !== 'any' && m.kinds !== 'unknown' && !fits(m.kinds, ['string'])) {
            this.report(300, 'non-string abort message', e.message);
          }
        }
        return { kinds: kinds() };
      }
      case 'return': {
        const k = this.expr(e.expr, env).kinds;
        this.returns?.push(k);
        return { kinds: kinds() };
      }
    }
  }

  private binary(e: Expr & { type: 'binary' }, env: Env): Result {
    const l = this.expr(e.left, env);
    if (e.op === '??') {
      if (l.fail === undefined && certain(e.left))
        this.report(651, 'unnecessary error coalescing operation', e.left);
      const r = this.expr(e.right, env);
      return { kinds: union(l.kinds, r.kinds), ...(r.fail ? { fail: r.fail } : {}) };
    }
    const r = this.expr(e.right, env);
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
        out = kinds('object');
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

  private assign(e: Expr & { type: 'assign' }, env: Env): Result {
    const r = this.expr(e.expr, env);
    if (e.errTarget !== undefined) {
      if (r.fail === undefined && certain(e.expr))
        this.report(104, 'unnecessary error assignment', e);
      this.okDefaults.set(e, defaultOf(r.kinds));
      this.setTarget(e.target, r.kinds, env);
      this.setTarget(e.errTarget, kinds('string', 'null'), env);
      return { kinds: r.kinds };
    }
    this.setTarget(e.target, e.op === '|=' ? kinds('object') : r.kinds, env);
    return r;
  }

  private setTarget(t: AssignTarget, k: Kinds, env: Env): void {
    if (t.kind !== 'query' || t.root.kind === 'expr') return;
    const prefix = t.root.kind === 'event' ? '.' : t.root.kind === 'meta' ? '%' : t.root.name;
    const key = pathText(prefix, t.path);
    for (const existing of [...env.keys()]) if (existing.startsWith(key)) env.delete(existing);
    env.set(key, k);
  }

  private call(e: Expr & { type: 'call' }, env: Env): Result {
    const first = e.args[0]?.expr;
    if (e.name === 'del' && first?.type === 'query' && first.root.kind !== 'expr') {
      // `del` returns what was at the path, and the path is gone afterwards.
      const k = this.pathKinds(first, env);
      const key = this.key(first);
      if (key !== undefined)
        for (const existing of [...env.keys()]) if (existing.startsWith(key)) env.delete(existing);
      return { kinds: k };
    }
    if (e.name === 'type_def' && e.args[0] !== undefined) {
      // `type_def` reports the type without running its argument.
      this.typeDefs.set(e, this.expr(e.args[0].expr, new Map(env)).kinds);
      return { kinds: kinds('object') };
    }
    const fn = this.functions.get(e.name);
    let fail: Fallibility | undefined;
    const argFails: Fallibility[] = [];
    e.args.forEach((a, i) => {
      const r = this.expr(a.expr, env);
      if (r.fail !== undefined) {
        this.report(630, 'fallible argument', a.expr);
        return;
      }
      const param =
        a.name !== undefined ? fn?.params.find((p) => p.name === a.name) : fn?.params[i];
      if (param?.kinds !== undefined && !fits(r.kinds, param.kinds)) {
        // Event data of any kind makes the call fallible; known kinds that cannot fit at all
        // are a compile error. A partial overlap of known kinds is left to run time.
        const disjoint =
          r.kinds !== 'any' &&
          r.kinds !== 'unknown' &&
          ![...r.kinds].some((k) => param.kinds?.includes(k));
        if (disjoint) this.report(110, 'invalid argument type', a.expr);
        else if (r.kinds === 'any')
          argFails.push({ code: 110, span: a.expr, message: 'invalid argument type' });
      }
    });
    if (e.closure) {
      const inner = new Map(env);
      for (const p of e.closure.params) inner.set(p.name, 'unknown');
      const outer = this.returns;
      this.returns = [];
      const body = this.statements(e.closure.body, inner);
      const results = [body.kinds, ...this.returns];
      this.returns = outer;
      if (body.fail !== undefined) argFails.push(body.fail);
      const want = CLOSURE_RETURNS[e.name];
      if (
        want !== undefined &&
        results.some((k) => k !== 'any' && k !== 'unknown' && !fits(k, want))
      ) {
        this.report(122, 'type mismatch in closure return type', e.closure.span);
      }
    }
    const safe = SAFE_INPUT[e.name];
    const firstArg =
      e.args[0] !== undefined ? this.expr(e.args[0].expr, new Map(env)).kinds : 'unknown';
    const fallible =
      fn !== undefined &&
      (ALWAYS_FALLIBLE.has(e.name) ||
        (this.extra.has(e.name) && fn.fallible === true) ||
        (safe !== undefined && !fits(firstArg, safe)));
    // `chunks` fails at run time only when its size is not a constant (checked at compile time).
    const sizeFallible =
      e.name === 'chunks' && e.args[1] !== undefined && e.args[1].expr.type !== 'literal';
    if (argFails.length > 0) fail = argFails[0];
    else if (fallible || sizeFallible) fail = { code: 100, span: e, message: 'unhandled error' };
    if (e.bang) {
      if (
        fail === undefined &&
        fn !== undefined &&
        e.args.length === 0 &&
        !ALWAYS_FALLIBLE.has(e.name)
      ) {
        this.report(620, "can't abort infallible function", e, 'warning');
      }
      fail = undefined;
    }
    const ret = RETURNS.get(e.name);
    return { kinds: ret ? new Set(ret) : 'unknown', ...(fail ? { fail } : {}) };
  }
}
