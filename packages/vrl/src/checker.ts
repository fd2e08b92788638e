// The fallibility rules VRL enforces at compile time, over kinds only: a fallible expression must
// be handled (`!`, `??`, `ok, err =`), else E100/E103 (or E110 when the failure comes from an
// argument whose type may not fit); handling what cannot fail is E104/E620/E651; a fallible
// argument is E630. Kinds flow through assignments and `if` branches; unknown is never blamed.
import type { AssignTarget, Expr, QueryRoot } from './ast.js';
import { diagnostic, type Diagnostic, type Span } from './diagnostic.js';
import type { VrlFunction } from './function.js';
import {
  ALWAYS_FALLIBLE,
  certain,
  CLOSURE_RETURNS,
  defaultOf,
  union,
  SAFE_INPUT,
} from './checker-rules.js';
import { checkBinary } from './checker-ops.js';
import { RETURNS } from './returns.js';
import { callKinds } from './shape-calls.js';
import {
  ANY_OBJECT,
  arrayShape,
  delAt,
  descend,
  lacks,
  mergeKinds,
  objectShape,
  setAt,
  Shape,
  stored,
  typeAt,
} from './shape.js';
import { kindOf, type Kind, type Value } from './value.js';

/** Known kinds, `any` (may be anything: event data), or `unknown` (we cannot tell: never blamed). */
export type Kinds = ReadonlySet<Kind> | 'any' | 'unknown';

export interface Fallibility {
  code: number;
  span: Span;
  message: string;
}

export interface Result {
  kinds: Kinds;
  fail?: Fallibility;
}

export const NUMERIC = new Set<Kind>(['integer', 'float']);

const kinds = (...k: Kind[]): Kinds => new Set(k);

/** Does a value of kinds `k` always fit `want`? (`unknown` is given the benefit of the doubt.) */
export function fits(k: Kinds, want: readonly string[]): boolean {
  if (k === 'unknown' || want.includes('any')) return true;
  if (k === 'any') return false;
  // A value that may be missing reads as null.
  if (k instanceof Shape && k.undef && !want.includes('null')) return false;
  return [...k].every((x) => want.includes(x));
}

export function only(k: Kinds, allowed: ReadonlySet<Kind>): boolean {
  return k === 'unknown' || (k !== 'any' && [...k].every((x) => allowed.has(x)));
}

export type Env = Map<string, Kinds>;

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

  /** @internal */
  report(code: number, message: string, span: Span, severity: 'error' | 'warning' = 'error'): void {
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
      // An argument that may not fit is E110, unless an assignment takes the value (E103).
      if (f.code === 110 && e.type !== 'assign') this.report(110, f.message, f.span);
      else
        this.report(
          e.type === 'assign' ? 103 : 100,
          e.type === 'assign' ? 'unhandled fallible assignment' : 'unhandled error',
          e,
        );
    }
    return r.kinds;
  }

  private rootKey(root: QueryRoot): string | undefined {
    return root.kind === 'expr'
      ? undefined
      : root.kind === 'event'
        ? '.'
        : root.kind === 'meta'
          ? '%'
          : root.name;
  }

  /** The type of a root: what was assigned; the event and metadata start as objects of any. */
  /** @internal */
  rootKinds(key: string, env: Env): Kinds {
    return env.get(key) ?? (key === '.' || key === '%' ? ANY_OBJECT : 'unknown');
  }

  private pathKinds(e: Expr & { type: 'query' }, env: Env): Kinds {
    const key = this.rootKey(e.root);
    if (key === undefined) return 'unknown';
    return typeAt(this.rootKinds(key, env), e.path);
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
          const k: Kinds = typeAt(inner.kinds, e.path);
          return { kinds: k, ...(inner.fail ? { fail: inner.fail } : {}) };
        }
        return { kinds: this.pathKinds(e, env) };
      }
      case 'array':
      case 'object': {
        const items = e.type === 'array' ? e.items : e.entries.map(([, v]) => v);
        const rs = items.map((i) => this.expr(i, env));
        const fail = rs.map((r) => r.fail).find((f) => f !== undefined);
        const shape =
          e.type === 'array'
            ? arrayShape(new Map(rs.map((r, i) => [i, stored(r.kinds)])))
            : objectShape(new Map(e.entries.map(([k], i) => [k, stored(rs[i]!.kinds)])));
        return { kinds: shape, ...(fail ? { fail } : {}) };
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
        return checkBinary(this, e, env);
      case 'assign':
        return this.assign(e, env);
      case 'if': {
        const c = this.expr(e.cond, env);
        if (c.fail !== undefined) this.report(110, 'fallible predicate', e.cond);
        if (c.kinds !== 'any' && c.kinds !== 'unknown' && !fits(c.kinds, ['boolean'])) {
          this.report(102, 'non-boolean predicate', e.cond);
        }
        const thenEnv = new Map(env);
        const a = this.statements(e.then, thenEnv);
        const elseEnv = new Map(env);
        const b = e.otherwise ? this.statements(e.otherwise, elseEnv) : { kinds: kinds('null') };
        for (const k of new Set([...thenEnv.keys(), ...elseEnv.keys()])) {
          const dflt = k === '.' || k === '%' ? ANY_OBJECT : 'any';
          env.set(k, union(thenEnv.get(k) ?? dflt, elseEnv.get(k) ?? dflt));
        }
        const fail = a.fail ?? b.fail;
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

  private assign(e: Expr & { type: 'assign' }, env: Env): Result {
    const r = this.expr(e.expr, env);
    if (e.errTarget !== undefined) {
      if (r.fail === undefined && certain(e.expr))
        this.report(104, 'unnecessary error assignment', e);
      this.okDefaults.set(e, defaultOf(r.kinds));
      this.setTarget(e.target, r.kinds, env);
      this.setTarget(e.errTarget, kinds('string', 'null'), env);
      return { kinds: r.fail ? union(r.kinds, kinds('string')) : r.kinds };
    }
    let value = r.kinds;
    if (e.op === '|=' && e.target.kind === 'query') {
      const old = this.targetKinds(e.target, env);
      if (lacks(old, 'object') || lacks(r.kinds, 'object')) {
        this.report(652, 'only objects can be merged', e);
        return r;
      }
      value = mergeKinds(old, r.kinds);
    }
    if (!this.mutable(e.target, env)) return r;
    this.setTarget(e.target, value, env);
    return r;
  }

  private targetKinds(t: AssignTarget & { kind: 'query' }, env: Env): Kinds {
    const key = this.rootKey(t.root);
    return key === undefined ? 'unknown' : typeAt(this.rootKinds(key, env), t.path);
  }

  /** E642: a path step into a known value that is not an object (field) or array (index). */
  private mutable(t: AssignTarget, env: Env): boolean {
    if (t.kind !== 'query') return true;
    const key = this.rootKey(t.root);
    if (key === undefined) return true;
    let cur = this.rootKinds(key, env);
    // Every step is checked, so a missing field of a known object (only undefined) is let
    // through: the write creates it, while a step below a scalar was refused one step earlier.
    for (const seg of t.path) {
      const missing = cur instanceof Shape && cur.size === 0 && cur.undef;
      const want = seg.kind === 'field' ? 'object' : 'array';
      if (seg.kind !== 'coalesce' && !missing && lacks(cur, want)) {
        this.report(642, 'parent path segment rejects this mutation', t.span);
        return false;
      }
      cur = descend(cur, seg);
    }
    return true;
  }

  private setTarget(t: AssignTarget, k: Kinds, env: Env): void {
    if (t.kind !== 'query') return;
    const key = this.rootKey(t.root);
    if (key === undefined) return;
    env.set(key, setAt(this.rootKinds(key, env), t.path, stored(k)));
  }

  private call(e: Expr & { type: 'call' }, env: Env): Result {
    const first = e.args[0]?.expr;
    if (e.name === 'del' && first?.type === 'query' && first.root.kind !== 'expr') {
      // `del` returns what was at the path, and the path is gone afterwards.
      const k = this.pathKinds(first, env);
      const key = this.rootKey(first.root);
      if (key !== undefined) env.set(key, delAt(this.rootKinds(key, env), first.path));
      return { kinds: stored(k) };
    }
    if (e.name === 'unnest' && first?.type === 'query') {
      // Fails unless the path certainly holds an array.
      const k = this.pathKinds(first, env);
      const fail = !e.bang && !only(k, new Set(['array']));
      const f: Fallibility = { code: 100, span: e, message: 'unhandled error' };
      return { kinds: kinds('array'), ...(fail ? { fail: f } : {}) };
    }
    if (e.name === 'type_def' && e.args[0] !== undefined) {
      // `type_def` reports the type without running its argument.
      this.typeDefs.set(e, this.expr(e.args[0].expr, new Map(env)).kinds);
      return { kinds: kinds('object') };
    }
    const fn = this.functions.get(e.name);
    let fail: Fallibility | undefined;
    const argFails: Fallibility[] = [];
    const argKinds: Kinds[] = [];
    e.args.forEach((a, i) => {
      const r = this.expr(a.expr, env);
      if (a.name === undefined) argKinds[i] = r.kinds;
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
        else if (r.kinds !== 'unknown')
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
    const ret = callKinds(e.name, argKinds, e.args) ?? RETURNS.get(e.name);
    const k: Kinds =
      ret === undefined
        ? 'unknown'
        : ret instanceof Set || typeof ret === 'string'
          ? ret
          : new Set(ret);
    return { kinds: k, ...(fail ? { fail } : {}) };
  }
}
