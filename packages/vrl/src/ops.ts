// VRL's binary operators on values, with its error texts ("can't add type string to integer").
import { runtimeError } from './diagnostic.js';
import {
  isInt,
  isObject,
  kindOf,
  newObject,
  setField,
  valueEquals,
  VFloat,
  VTimestamp,
  type Value,
} from './value.js';

const isNum = (v: Value): boolean => typeof v === 'number' || v instanceof VFloat;
const num = (v: Value): number => (typeof v === 'number' ? v : (v as VFloat).n);

function fail(msg: string): never {
  throw runtimeError(msg);
}

/**
 * VRL integers are i64 and wrap around. A result past 2^53 is redone in BigInt and wrapped to
 * 64 bits (values that large are held as the nearest double, as JSON would read them).
 */
export function wrapInt(
  r: number,
  x: number,
  y: number,
  big: (x: bigint, y: bigint) => bigint,
): number {
  if (Number.isSafeInteger(r)) return r + 0; // `+ 0` turns -0 into 0
  return Number(BigInt.asIntN(64, big(BigInt(x), BigInt(y))));
}

function numeric(
  a: Value,
  b: Value,
  f: (x: number, y: number) => number,
  verb: () => string,
  big: (x: bigint, y: bigint) => bigint,
): Value {
  const r = f(num(a), num(b));
  // VRL refuses a NaN result (∞ - ∞) with the operator's type error.
  if (Number.isNaN(r)) fail(verb());
  if (isInt(a) && isInt(b)) return wrapInt(r, a, b, big);
  return new VFloat(r);
}

export function add(a: Value, b: Value): Value {
  if (isNum(a) && isNum(b))
    return numeric(
      a,
      b,
      (x, y) => x + y,
      () => `can't add type ${kindOf(b)} to ${kindOf(a)}`,
      (x, y) => x + y,
    );
  if (typeof a === 'string' && (typeof b === 'string' || b === null)) return a + (b ?? '');
  if (a === null && typeof b === 'string') return b;
  return fail(`can't add type ${kindOf(b)} to ${kindOf(a)}`);
}

export function sub(a: Value, b: Value): Value {
  if (isNum(a) && isNum(b))
    return numeric(
      a,
      b,
      (x, y) => x - y,
      () => `can't subtract type ${kindOf(b)} from ${kindOf(a)}`,
      (x, y) => x - y,
    );
  return fail(`can't subtract type ${kindOf(b)} from ${kindOf(a)}`);
}

export function mul(a: Value, b: Value): Value {
  if (isNum(a) && isNum(b))
    return numeric(
      a,
      b,
      (x, y) => x * y,
      () => `can't multiply type ${kindOf(a)} by ${kindOf(b)}`,
      (x, y) => x * y,
    );
  if (typeof a === 'string' && isInt(b)) return a.repeat(Math.max(0, b));
  if (isInt(a) && typeof b === 'string') return b.repeat(Math.max(0, a));
  return fail(`can't multiply type ${kindOf(a)} by ${kindOf(b)}`);
}

export function div(a: Value, b: Value): Value {
  if (isNum(a) && isNum(b)) {
    if (num(b) === 0) fail("can't divide by zero");
    return new VFloat(num(a) / num(b));
  }
  return fail(`can't divide type ${kindOf(a)} by ${kindOf(b)}`);
}

export function rem(a: Value, b: Value): Value {
  if (isNum(a) && isNum(b)) {
    if (num(b) === 0) fail("can't calculate remainder of zero");
    return numeric(
      a,
      b,
      (x, y) => x % y,
      () => `can't calculate remainder of type ${kindOf(a)} and ${kindOf(b)}`,
      (x, y) => x % y,
    );
  }
  return fail(`can't calculate remainder of type ${kindOf(a)} and ${kindOf(b)}`);
}

function order(a: Value, b: Value, op: string): number {
  if (isNum(a) && isNum(b)) return num(a) - num(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof VTimestamp && b instanceof VTimestamp)
    return a.secs !== b.secs ? a.secs - b.secs : a.nanos - b.nanos;
  const verb: Record<string, string> = {
    '<': 'less',
    '<=': 'less or equal',
    '>': 'greater',
    '>=': 'greater or equal',
  };
  return fail(`can't compare ${kindOf(a)} and ${kindOf(b)} (${verb[op] ?? op})`);
}

export function merge(a: Value, b: Value): Value {
  if (!isObject(a) || !isObject(b)) fail(`can't merge type ${kindOf(b)} into ${kindOf(a)}`);
  const out = newObject();
  for (const k of Object.keys(a)) setField(out, k, a[k] as Value);
  for (const k of Object.keys(b)) setField(out, k, b[k] as Value);
  return out;
}

export function binary(op: string, a: Value, b: Value): Value {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return sub(a, b);
    case '*':
      return mul(a, b);
    case '/':
      return div(a, b);
    case '%':
      return rem(a, b);
    case '==':
      return valueEquals(a, b);
    case '!=':
      return !valueEquals(a, b);
    case '<':
      return order(a, b, op) < 0;
    case '<=':
      return order(a, b, op) <= 0;
    case '>':
      return order(a, b, op) > 0;
    case '>=':
      return order(a, b, op) >= 0;
    case '|':
      return merge(a, b);
    default:
      return fail(`unknown operator ${op}`);
  }
}
