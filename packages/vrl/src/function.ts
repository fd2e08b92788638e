// What a VRL function is to the compiler: named parameters with the kinds they accept, whether it
// can fail, and the code that runs. Extra functions (enrichment-table lookups) use the same shape.
import { isInt, kindOf, type Kind, type Value } from './value.js';

export interface Param {
  name: string;
  /** Kinds the argument may have; omitted = any. */
  kinds?: readonly (Kind | 'any')[];
  required?: boolean;
}

/** A closure argument as the function sees it: call it with the closure's parameter values. */
export type ClosureFn = (...args: Value[]) => Value;

export interface CallEnv {
  closure?: ClosureFn;
  /** The metadata object (`%`), for functions such as `get_secret`. */
  meta: Record<string, Value>;
  secrets: Record<string, string>;
}

export interface VrlFunction {
  name: string;
  params: readonly Param[];
  /** True when a call may fail at runtime (VRL then requires `!` or handling). */
  fallible?: boolean;
  /** Names of the closure parameters this function takes (`for_each`: key and value). */
  closure?: { params: number };
  /**
   * The function's work; `args` is in parameter order, `undefined` for an absent optional one.
   * A thrown `FunctionError` becomes VRL's `function call error for "name" at (s:e): message`.
   */
  call(args: (Value | undefined)[], env: CallEnv): Value;
  /**
   * Checks arguments at compile time: `literals[i]` is the value when argument i is a constant
   * expression, else undefined. A returned message is VRL's E610 (invalid argument).
   */
  checkArgs?(literals: (Value | undefined)[]): string | undefined;
}

export class FunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionError';
  }
}

/** A `FunctionError` without a stack trace (see `runtimeError`): failing calls are common. */
export function functionError(message: string): FunctionError {
  const e = Object.create(FunctionError.prototype) as FunctionError;
  e.message = message;
  return e;
}

export function typeName(v: Value): string {
  const k = kindOf(v);
  return k;
}

/** Throws VRL's argument type error unless `v` has one of `kinds`. */
export function expectKind(v: Value, ...kinds: Kind[]): void {
  const k = kindOf(v);
  if (kinds.includes(k)) return;
  const want = kinds.length === 1 ? kinds[0] : kinds.join(' or ');
  throw new FunctionError(`expected ${want}, got ${k}`);
}

export function str(v: Value | undefined): string {
  if (typeof v !== 'string') throw new FunctionError(`expected string, got ${kindOf(v ?? null)}`);
  return v;
}

export function optStr(v: Value | undefined, dflt: string): string {
  return v === undefined || v === null ? dflt : str(v);
}

export function int(v: Value | undefined): number {
  if (!isInt(v ?? null)) throw new FunctionError(`expected integer, got ${kindOf(v ?? null)}`);
  return v as number;
}

export function optInt(v: Value | undefined, dflt: number): number {
  return v === undefined || v === null ? dflt : int(v);
}

export function bool(v: Value | undefined, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw new FunctionError(`expected boolean, got ${kindOf(v)}`);
  return v;
}

/** `f` with a compile-time argument check (see `VrlFunction.checkArgs`). */
export function withArgCheck(f: VrlFunction, check: VrlFunction['checkArgs']): VrlFunction {
  return check === undefined ? f : { ...f, checkArgs: check };
}

/** A function from a compact spec: `fn('upcase', ['value:string'], ([v]) => …)`. */
export function fn(
  name: string,
  params: string[],
  call: VrlFunction['call'],
  opts: { fallible?: boolean; closure?: number } = {},
): VrlFunction {
  return {
    name,
    params: params.map((p) => {
      const optional = p.endsWith('?');
      const [pname, kinds] = (optional ? p.slice(0, -1) : p).split(':') as [string, string?];
      return {
        name: pname,
        required: !optional,
        ...(kinds !== undefined ? { kinds: kinds.split('|') as Kind[] } : {}),
      };
    }),
    ...(opts.fallible !== undefined ? { fallible: opts.fallible } : {}),
    ...(opts.closure !== undefined ? { closure: { params: opts.closure } } : {}),
    call,
  };
}
