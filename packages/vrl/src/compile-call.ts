// Function calls: arguments matched to parameters at compile time (positional, then by keyword),
// closures bound to variable slots, and the few calls that take a path rather than a value
// (`del`, `exists`) compiled as special forms.
import type { Expr } from './ast.js';
import type { Compiler, Frame, Node } from './compile.js';
import { ReturnSignal } from './signals.js';
import { runtimeError, VrlRuntimeError } from './diagnostic.js';
import { FunctionError, type CallEnv, type ClosureFn } from './function.js';
import type { Segment } from './ast.js';
import { deletePath, getPath, pathExists, setPath } from './paths.js';
import { typeDefJson } from './shape.js';
import { cloneValue, isObject, kindOf, type Value } from './value.js';

type CallExpr = Expr & { type: 'call' };

interface PathArg {
  get: (f: Frame) => Value;
  del: Node;
  exists: Node;
  /** The value the path starts from (the event, metadata, a variable or a computed value). */
  root: Node;
  path: Segment[];
}

function pathArg(c: Compiler, e: CallExpr): PathArg {
  const arg = e.args[0]?.expr;
  if (arg === undefined || arg.type !== 'query') {
    return c.fail(110, 'invalid argument type', e, ['this expression must be a path']);
  }
  const { root, path } = arg;
  const read = c.query(root, arg);
  if (root.kind === 'expr') {
    // A path into a computed value (`{…}.baz`): deleting returns the value, existing checks it.
    const parent = e.args[0]?.expr;
    const base =
      parent?.type === 'query' && parent.root.kind === 'expr' ? c.expr(parent.root.expr) : read;
    const exists: Node = (f) => pathExists(base(f), path);
    return { get: read, del: read, exists, root: base, path };
  }
  const slot = root.kind === 'var' ? c.slot(root.name) : -1;
  const container = (f: Frame): Value =>
    root.kind === 'event' ? f.event : root.kind === 'meta' ? f.meta : (f.vars[slot] ?? null);
  return {
    get: read,
    del: (f) => {
      if (path.length === 0) {
        const old = container(f);
        // An object root is emptied; any other value becomes null.
        if (root.kind === 'event') f.event = isObject(old) ? {} : null;
        else if (root.kind === 'meta') f.env.meta = f.meta = {};
        else f.vars[slot] = null;
        return old;
      }
      return deletePath(container(f), path);
    },
    exists: (f) => pathExists(container(f), path),
    root: container,
    path,
  };
}

/** The value of a constant expression (literals, and arrays/objects of them), else undefined. */
function constantOf(e: Expr): Value | undefined {
  if (e.type === 'literal') return e.value;
  if (e.type === 'array') {
    const items = e.items.map(constantOf);
    return items.every((x) => x !== undefined) ? items : undefined;
  }
  if (e.type === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, v] of e.entries) {
      const x = constantOf(v);
      if (x === undefined) return undefined;
      out[k] = x;
    }
    return out;
  }
  return undefined;
}

function compactValue(v: Value): Value {
  if (Array.isArray(v)) return v.map(compactValue).filter((x) => !isEmpty(x));
  if (v !== null && typeof v === 'object' && kindOf(v) === 'object') {
    const o = v as Record<string, Value>;
    for (const k of Object.keys(o)) {
      const x = compactValue(o[k] as Value);
      if (isEmpty(x)) delete o[k];
      else o[k] = x;
    }
  }
  return v;
}

function isEmpty(v: Value): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return kindOf(v) === 'object' && Object.keys(v as object).length === 0;
}

function special(c: Compiler, e: CallExpr): Node | undefined {
  if (e.name === 'del') {
    const p = pathArg(c, e);
    const compactArg = e.args.find(
      (a, i) => a.name === 'compact' || (a.name === undefined && i === 1),
    );
    const compact = compactArg ? c.expr(compactArg.expr) : undefined;
    const arg = e.args[0]?.expr;
    return (f) => {
      const old = p.del(f);
      if (compact?.(f) === true && arg?.type === 'query') {
        if (arg.root.kind === 'event') f.event = compactValue(f.event);
        else if (arg.root.kind === 'var') {
          const s = c.slots.get(arg.root.name);
          if (s !== undefined) f.vars[s] = compactValue(f.vars[s] ?? null);
        }
      }
      return old;
    };
  }
  if (e.name === 'exists') return pathArg(c, e).exists;
  if (e.name === 'unnest') return unnest(c, e);
  if (e.name === 'type_def') {
    const k = c.typeDefs.get(e);
    if (k === undefined) return c.fail(107, 'required argument missing', e);
    const def = typeDefJson(k);
    return () => cloneValue(def);
  }
  return undefined;
}

/** `unnest(path)`: one copy of the path's root per element of the array at the path. */
function unnest(c: Compiler, e: CallExpr): Node {
  const arg = e.args[0]?.expr;
  if (arg === undefined || arg.type !== 'query' || arg.root.kind === 'expr') {
    return c.fail(110, 'invalid argument type', e, ['this expression must be a path']);
  }
  const path = arg.path;
  const root = c.query(arg.root, { ...arg, path: [] });
  const where = `function call error for "unnest" at (${e.start}:${e.end})`;
  return (f) => {
    const whole = root(f);
    const items = getPath(whole, path);
    if (!Array.isArray(items)) {
      throw runtimeError(`${where}: expected array, got ${kindOf(items)}`);
    }
    return items.map((item) => setPath(cloneValue(whole), path, cloneValue(item)));
  };
}

export function compileCall(c: Compiler, e: CallExpr): Node {
  const sp = special(c, e);
  if (sp !== undefined) return sp;
  const fn = c.functions.get(e.name);
  if (fn === undefined) {
    return c.fail(105, 'call to undefined function', e.nameSpan, ['undefined function']);
  }
  const params = fn.params;
  const argNodes: (Node | undefined)[] = new Array<Node | undefined>(params.length).fill(undefined);
  let positional = 0;
  const argExprs: (Expr | undefined)[] = new Array<Expr | undefined>(params.length).fill(undefined);
  for (const a of e.args) {
    let idx: number;
    if (a.name !== undefined) {
      idx = params.findIndex((p) => p.name === a.name);
      if (idx < 0) c.fail(108, 'unknown function argument keyword', a.span);
    } else {
      idx = positional++;
      while (idx < params.length && argNodes[idx] !== undefined) idx = positional++;
      if (idx >= params.length) c.fail(106, 'function argument arity mismatch', a.span);
    }
    argNodes[idx] = c.expr(a.expr);
    argExprs[idx] = a.expr;
  }
  params.forEach((p, i) => {
    if (p.required === true && argNodes[i] === undefined) {
      c.fail(107, 'required argument missing', e, [`required argument "${p.name}" missing`]);
    }
  });
  if (fn.checkArgs !== undefined) {
    const literals = params.map((_, i) => {
      const a = argExprs[i];
      return a === undefined ? undefined : constantOf(a);
    });
    const problem = fn.checkArgs(literals);
    if (problem !== undefined) {
      c.fail(610, `function compilation error: error[E403] invalid argument`, e, [problem]);
    }
  }
  const where = `function call error for "${e.name}" at (${e.start}:${e.end})`;
  let closure: ((f: Frame) => ClosureFn) | undefined;
  if (e.closure !== undefined) {
    const body = e.closure.body;
    const { slots, node } = c.inScope(
      e.closure.params.map((p) => p.name),
      (ss) => ({ slots: ss, node: c.block(body) }),
    );
    closure =
      (f) =>
      (...vals: Value[]) => {
        for (let i = 0; i < slots.length; i++) f.vars[slots[i] as number] = vals[i] ?? null;
        try {
          return node(f);
        } catch (err) {
          // `return` inside a closure ends that closure's run with the value.
          if (err instanceof ReturnSignal) return err.value;
          // A runtime error inside the closure is reported as the calling function's error.
          if (err instanceof VrlRuntimeError) throw runtimeError(`${where}: ${err.message}`);
          throw err;
        }
      };
  } else if (fn.closure !== undefined) {
    c.fail(111, 'missing closure', e, ['this function expects a closure']);
  }
  const kinds = params.map((p) => p.kinds);
  const n = argNodes.length;
  return (f) => {
    const args: (Value | undefined)[] = new Array<Value | undefined>(n);
    for (let i = 0; i < n; i++) {
      const node = argNodes[i];
      if (node === undefined) continue;
      const v = node(f);
      const want = kinds[i];
      if (want !== undefined && !want.includes('any')) {
        const k = kindOf(v);
        if (!want.includes(k)) {
          throw runtimeError(`${where}: expected ${want.join(' or ')}, got ${k}`);
        }
      }
      args[i] = v;
    }
    // One env per run, shared by every call without a closure (no allocation per call).
    const env: CallEnv = closure
      ? { meta: f.meta, secrets: f.secrets, closure: closure(f) }
      : f.env;
    try {
      return fn.call(args, env);
    } catch (err) {
      if (err instanceof FunctionError) throw runtimeError(`${where}: ${err.message}`);
      throw err;
    }
  };
}
