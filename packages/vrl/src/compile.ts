// AST → a tree of JS closures, built once per program: variables become array slots, paths are
// pre-split, constant arguments stay constants. Running an event is then only closure calls.
import type { AssignTarget, Expr, QueryRoot } from './ast.js';
import { compileCall } from './compile-call.js';
import {
  diagnostic,
  DiagnosticError,
  type Diagnostic,
  VrlRuntimeError,
  runtimeError,
} from './diagnostic.js';
import type { Kinds } from './checker.js';
import type { CallEnv, VrlFunction } from './function.js';
import type { ReadOnlyPath } from './index.js';
import { binary } from './ops.js';
import { AbortSignal, ReturnSignal } from './signals.js';
import { stdlib } from './stdlib/index.js';
import { isReadOnly, RESERVED } from './assign-rules.js';
import { getPath, setPath } from './paths.js';
import {
  cloneValue,
  displayValue,
  getField,
  isObject,
  kindOf,
  setField,
  type Kind,
  type Value,
  type VObject,
} from './value.js';

const ASSERTS: Record<string, Kind> = {
  string: 'string',
  int: 'integer',
  float: 'float',
  bool: 'boolean',
  array: 'array',
  object: 'object',
  timestamp: 'timestamp',
};

export interface Frame {
  event: Value;
  meta: VObject;
  vars: Value[];
  secrets: Record<string, string>;
  /** What functions see of the run (`meta`, `secrets`); `meta` is kept in step on `% = …`. */
  env: CallEnv;
}

export type Node = (f: Frame) => Value;

/** Is `e` an error a program can handle (`??`, `ok, err =`), rather than abort or return? */
export function isHandleable(e: unknown): e is Error {
  return e instanceof VrlRuntimeError;
}

export class Compiler {
  /** Variable name → slot in scope now; a closure body gets a copy it may extend. */
  slots = new Map<string, number>();
  slotCount = 0;
  readonly warnings: Diagnostic[] = [];

  constructor(
    readonly functions: ReadonlyMap<string, VrlFunction>,
    readonly readOnly: readonly ReadOnlyPath[] = [],
    readonly okDefaults: ReadonlyMap<Expr, Value> = new Map(),
    readonly typeDefs: ReadonlyMap<Expr, Kinds> = new Map(),
  ) {}

  fail(
    code: number,
    message: string,
    e: { start: number; end: number },
    labels: string[] = [],
  ): never {
    throw new DiagnosticError([diagnostic(code, message, { start: e.start, end: e.end }, labels)]);
  }

  slot(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.slotCount++;
      this.slots.set(name, s);
    }
    return s;
  }

  /** Compiles `body` in a closure scope: parameters shadow, new variables stay inside. */
  inScope<T>(params: readonly string[], body: (slots: number[]) => T): T {
    const outer = this.slots;
    this.slots = new Map(outer);
    try {
      const slots = params.map((p) => {
        const s = this.slotCount++;
        this.slots.set(p, s);
        return s;
      });
      return body(slots);
    } finally {
      this.slots = outer;
    }
  }

  block(exprs: readonly Expr[]): Node {
    const nodes = exprs.map((e) => this.expr(e));
    if (nodes.length === 0) return () => null;
    if (nodes.length === 1) return nodes[0] as Node;
    return (f) => {
      let v: Value = null;
      for (const n of nodes) v = n(f);
      return v;
    };
  }

  expr(e: Expr): Node {
    switch (e.type) {
      case 'literal': {
        const v = e.value;
        return () => v;
      }
      case 'template':
        return this.template(e.parts);
      case 'query':
        return this.query(e.root, e);
      case 'array': {
        const items = e.items.map((i) => this.expr(i));
        return (f) => items.map((n) => n(f));
      }
      case 'object': {
        const entries = e.entries.map(([k, v]) => [k, this.expr(v)] as const);
        return (f) => {
          const o: VObject = {};
          for (const [k, n] of entries) {
            const v = n(f);
            if (k === '__proto__')
              Object.defineProperty(o, k, {
                value: v,
                enumerable: true,
                writable: true,
                configurable: true,
              });
            else o[k] = v;
          }
          return o;
        };
      }
      case 'block':
        return this.block(e.exprs);
      case 'group':
        return this.expr(e.expr);
      case 'unary':
        return this.unary(e.op, this.expr(e.expr));
      case 'binary':
        return this.binary(e.op, e.left, e.right);
      case 'assign':
        return this.assign(e.target, e.errTarget, e.op, e.expr, this.okDefaults.get(e) ?? null);
      case 'if': {
        const cond = this.expr(e.cond);
        const then = this.block(e.then);
        const otherwise = e.otherwise ? this.block(e.otherwise) : () => null;
        return (f) => {
          const c = cond(f);
          if (typeof c !== 'boolean')
            throw runtimeError(`expected boolean predicate, got ${kindOf(c)}`);
          return c ? then(f) : otherwise(f);
        };
      }
      case 'call':
        return compileCall(this, e);
      case 'abort': {
        const msg = e.message ? this.expr(e.message) : undefined;
        return (f) => {
          // A control-flow signal, not an error: no stack trace is captured per event.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw new AbortSignal(msg?.(f));
        };
      }
      case 'return': {
        const value = this.expr(e.expr);
        return (f) => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw new ReturnSignal(value(f));
        };
      }
    }
  }

  private template(parts: readonly (string | Expr)[]): Node {
    const nodes = parts.map((p) => (typeof p === 'string' ? () => p : this.expr(p)));
    return (f) => {
      let s = '';
      for (const n of nodes) {
        const v = n(f);
        s += typeof v === 'string' ? v : displayValue(v);
      }
      return s;
    };
  }

  query(root: QueryRoot, e: Expr & { type: 'query' }): Node {
    const path = e.path;
    if (root.kind === 'var') {
      const s = this.slots.get(root.name);
      if (s === undefined) this.fail(701, 'call to undefined variable', e, ['undefined variable']);
      if (path.length === 0) return (f) => f.vars[s] ?? null;
      return (f) => getPath(f.vars[s] ?? null, path);
    }
    if (root.kind === 'expr') {
      const inner = this.expr(root.expr);
      return (f) => getPath(inner(f), path);
    }
    const meta = root.kind === 'meta';
    if (path.length === 1 && path[0]?.kind === 'field') {
      const name = path[0].name;
      return (f) => {
        const r = meta ? f.meta : f.event;
        return isObject(r) ? (getField(r, name) ?? null) : null;
      };
    }
    return (f) => getPath(meta ? f.meta : f.event, path);
  }

  private unary(op: '!' | '-', inner: Node): Node {
    if (op === '!') {
      return (f) => {
        const v = inner(f);
        if (typeof v !== 'boolean') throw runtimeError(`can't negate type ${kindOf(v)}`);
        return !v;
      };
    }
    return (f) => binary('*', inner(f), -1);
  }

  private binary(op: string, l: Expr, r: Expr): Node {
    const fast = op === '??' ? this.assertOr(l, r) : undefined;
    if (fast !== undefined) return fast;
    const left = this.expr(l);
    const right = this.expr(r);
    switch (op) {
      case '??':
        return (f) => {
          try {
            return left(f);
          } catch (err) {
            if (!isHandleable(err)) throw err;
            return right(f);
          }
        };
      case '||':
        return (f) => {
          const a = left(f);
          if (a === null || a === false) return right(f);
          return a;
        };
      case '&&':
        return (f) => {
          const a = left(f);
          if (a === null || a === false) return false;
          if (a !== true) throw runtimeError(`can't apply an AND to type ${kindOf(a)}`);
          const b = right(f);
          if (b === null) return false;
          if (typeof b !== 'boolean') throw runtimeError(`can't apply an AND to type ${kindOf(b)}`);
          return b;
        };
      default:
        return (f) => binary(op, left(f), right(f));
    }
  }

  /**
   * `string(x) ?? y` (and `int`, `float`, … of one argument): the common "this kind or a
   * default" test, compiled without throwing and catching an error when `x` has another kind.
   */
  private assertOr(l: Expr, r: Expr): Node | undefined {
    const want =
      l.type === 'call' && !l.bang && l.args.length === 1 && !l.args[0]?.name
        ? ASSERTS[l.name]
        : undefined;
    if (
      want === undefined ||
      l.type !== 'call' ||
      this.functions.get(l.name) !== stdlib.get(l.name)
    )
      return undefined;
    const arg = this.expr((l.args[0] as { expr: Expr }).expr);
    const right = this.expr(r);
    return (f) => {
      const v = arg(f);
      return kindOf(v) === want ? v : right(f);
    };
  }

  /** A setter for an assignment target, declaring its variable. */
  setter(t: AssignTarget): (f: Frame, v: Value) => void {
    if (t.kind === 'noop') return () => undefined;
    const { root, path } = t;
    if (root.kind === 'var' && RESERVED.has(root.name)) this.fail(205, 'reserved keyword', t.span);
    if (root.kind !== 'var' && isReadOnly(this.readOnly, root.kind === 'meta', path)) {
      this.fail(315, 'mutation of read-only value', t.span);
    }
    if (root.kind === 'var') {
      const s = this.slot(root.name);
      if (path.length === 0) return (f, v) => void (f.vars[s] = v);
      return (f, v) => void (f.vars[s] = setPath(f.vars[s] ?? null, path, v));
    }
    if (root.kind === 'meta') {
      return (f, v) => {
        const m = setPath(f.meta, path, v);
        f.meta = isObject(m) ? m : {};
        f.env.meta = f.meta;
      };
    }
    if (path.length === 1 && path[0]?.kind === 'field') {
      // The common `.field = …`: write in place, no path walk.
      const name = path[0].name;
      return (f, v) => {
        const e = f.event;
        if (isObject(e)) setField(e, name, v);
        else f.event = setPath(e, path, v);
      };
    }
    return (f, v) => void (f.event = setPath(f.event, path, v));
  }

  private assign(
    target: AssignTarget,
    errTarget: AssignTarget | undefined,
    op: '=' | '|=',
    e: Expr,
    okDefault: Value,
  ): Node {
    const rhs = this.expr(e);
    const value: Node =
      op === '='
        ? rhs
        : (() => {
            const current =
              target.kind === 'query'
                ? this.query(target.root, {
                    type: 'query',
                    root: target.root,
                    path: target.path,
                    ...target.span,
                  })
                : () => null;
            return (f: Frame) => binary('|', current(f), rhs(f));
          })();
    const set = this.setter(target);
    if (errTarget === undefined) {
      return (f) => {
        const v = value(f);
        set(f, v);
        return v;
      };
    }
    const setErr = this.setter(errTarget);
    return (f) => {
      try {
        const v = value(f);
        set(f, v);
        setErr(f, null);
        return v;
      } catch (err) {
        if (!isHandleable(err)) throw err;
        set(f, cloneValue(okDefault));
        setErr(f, err.message);
        return err.message;
      }
    };
  }
}
