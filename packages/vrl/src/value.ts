// VRL's values as plain JS where the two agree, so an event parsed from JSON is a VRL value
// without a copy: strings are bytes, JS integers are VRL integers, arrays and plain objects are
// VRL arrays and objects. Only what JS cannot tell apart gets a class: a float (VRL keeps 1.0 a
// float), a timestamp (nanosecond precision) and a regex (compared by its pattern text).

export type Value =
  null | boolean | number | string | VFloat | VTimestamp | VRegex | Value[] | VObject;

export interface VObject {
  [key: string]: Value;
}

export class VFloat {
  constructor(readonly n: number) {}
}

export class VTimestamp {
  /** Whole seconds since the epoch, and nanoseconds within that second (0 ≤ nanos < 1e9). */
  constructor(
    readonly secs: number,
    readonly nanos: number,
  ) {}
  static fromMillis(ms: number): VTimestamp {
    const secs = Math.floor(ms / 1000);
    return new VTimestamp(secs, Math.round((ms - secs * 1000) * 1e6));
  }
  static fromNanos(ns: bigint): VTimestamp {
    let secs = ns / 1_000_000_000n;
    let nanos = ns % 1_000_000_000n;
    if (nanos < 0n) {
      nanos += 1_000_000_000n;
      secs -= 1n;
    }
    return new VTimestamp(Number(secs), Number(nanos));
  }
  get millis(): number {
    return this.secs * 1000 + Math.floor(this.nanos / 1e6);
  }
  get totalNanos(): bigint {
    return BigInt(this.secs) * 1_000_000_000n + BigInt(this.nanos);
  }
  /** RFC 3339 in UTC as VRL prints it: fraction dropped when zero, else 3, 6 or 9 digits. */
  toRfc3339(): string {
    const base = new Date(this.secs * 1000).toISOString().slice(0, 19);
    if (this.nanos === 0) return `${base}Z`;
    let frac = String(this.nanos).padStart(9, '0');
    if (frac.endsWith('000000')) frac = frac.slice(0, 3);
    else if (frac.endsWith('000')) frac = frac.slice(0, 6);
    return `${base}.${frac}Z`;
  }
}

export class VRegex {
  constructor(
    readonly source: string,
    readonly re: RegExp,
  ) {}
}

export type Kind =
  'null' | 'boolean' | 'integer' | 'float' | 'string' | 'timestamp' | 'regex' | 'array' | 'object';

export function kindOf(v: Value): Kind {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      // A JSON number with a fraction is a float; integral floats computed by VRL are VFloat.
      return Number.isInteger(v) ? 'integer' : 'float';
    case 'string':
      return 'string';
    case 'object':
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      if (Array.isArray(v)) return 'array';
      if (v instanceof VFloat) return 'float';
      if (v instanceof VTimestamp) return 'timestamp';
      if (v instanceof VRegex) return 'regex';
      return 'object';
  }
}

export function isObject(v: Value): v is VObject {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof VFloat) &&
    !(v instanceof VTimestamp) &&
    !(v instanceof VRegex)
  );
}

export function newObject(): VObject {
  return {};
}

/** Own-key read that never sees the prototype chain (`__proto__`, `constructor`). */
export function getField(o: VObject, key: string): Value | undefined {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

export function setField(o: VObject, key: string, v: Value): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else o[key] = v;
}

/** Is `v` a VRL integer (a JS number without a fraction)? */
export function isInt(v: Value | undefined): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * A JSON value (from `JSON.parse`) as a VRL value. A parsed event is already one (a number with
 * a fraction reads as a float); this copy only drops `undefined` and guards `__proto__` keys.
 */
export function fromJson(j: unknown): Value {
  if (j === null || j === undefined) return null;
  if (typeof j === 'number') return j;
  if (typeof j === 'string' || typeof j === 'boolean') return j;
  if (Array.isArray(j)) return j.map(fromJson);
  const out = newObject();
  for (const [k, v] of Object.entries(j as Record<string, unknown>)) setField(out, k, fromJson(v));
  return out;
}

/** A VRL value as JSON: timestamps as RFC 3339, regexes as their pattern, floats as numbers. */
export function toJson(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof VFloat) return Number.isFinite(v.n) ? v.n : null;
  if (v instanceof VTimestamp) return v.toRfc3339();
  if (v instanceof VRegex) return v.source;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(v);
  if (keys.length > 1) keys.sort();
  for (const k of keys) {
    const value = toJson(v[k] as Value);
    // A plain assignment is several times faster; only `__proto__` needs defining as a field.
    if (k !== '__proto__') out[k] = value;
    else
      Object.defineProperty(out, k, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

export function numberOf(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof VFloat) return v.n;
  return undefined;
}

export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // VRL compares an integer and a float by value (1 == 1.0).
    const na = numberOf(a);
    const nb = numberOf(b);
    return na !== undefined && nb !== undefined && na === nb;
  }
  if (a instanceof VFloat || b instanceof VFloat) {
    const na = numberOf(a);
    const nb = numberOf(b);
    return na !== undefined && nb !== undefined && na === nb;
  }
  if (a instanceof VTimestamp)
    return b instanceof VTimestamp && a.secs === b.secs && a.nanos === b.nanos;
  if (a instanceof VRegex) return b instanceof VRegex && a.source === b.source;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valueEquals(x, b[i] as Value));
  }
  if (!isObject(b) || !isObject(a)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && valueEquals(a[k] as Value, b[k] as Value));
}

/** Float text as VRL prints it: integral floats keep no fraction ("3"), others shortest form. */
export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const s = String(n);
  if (s.includes('e')) {
    const [m, e] = s.split('e') as [string, string];
    const exp = Number(e);
    if (exp < 0) return n.toFixed(Math.min(100, -exp + (m.split('.')[1]?.length ?? 0)));
  }
  return s;
}

/** VRL's display of a value (used by templates' errors, `to_string`-like contexts, `encode_json`). */
export function displayValue(v: Value): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof VFloat) return formatFloat(v.n);
  if (v instanceof VTimestamp) return v.toRfc3339();
  if (v instanceof VRegex) return v.source;
  return encodeJson(v);
}

export function encodeJson(v: Value): string {
  return JSON.stringify(toJson(v));
}

export function cloneValue(v: Value): Value {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneValue);
  if (!isObject(v)) return v;
  const out = newObject();
  for (const k of Object.keys(v)) setField(out, k, cloneValue(v[k] as Value));
  return out;
}
