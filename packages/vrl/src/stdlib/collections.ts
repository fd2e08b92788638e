// Arrays and objects: building, reshaping, path access by value, and the closure iterators.
import {
  bool,
  fn,
  withArgCheck,
  functionError,
  type CallEnv,
  type VrlFunction,
} from '../function.js';
import type { Segment } from '../ast.js';
import { deletePath, getPath, setPath } from '../paths.js';
import {
  cloneValue,
  isObject,
  kindOf,
  newObject,
  setField,
  valueEquals,
  type Value,
  type VObject,
} from '../value.js';

const sortedKeys = (o: VObject): string[] => Object.keys(o).sort();

function pathSegments(path: Value): Segment[] {
  if (!Array.isArray(path)) throw functionError(`expected array, got ${kindOf(path)}`);
  return path.map((p) => {
    if (typeof p === 'string') return { kind: 'field', name: p };
    if (typeof p === 'number') return { kind: 'index', index: p };
    throw functionError(`path segment must be either string or integer, not ${kindOf(p)}`);
  });
}

function flattenValue(v: Value, sep: string, prefix: string, out: VObject): void {
  for (const k of Object.keys(v as VObject)) {
    const child = (v as VObject)[k] as Value;
    const key = prefix === '' ? k : `${prefix}${sep}${k}`;
    if (isObject(child) && Object.keys(child).length > 0) flattenValue(child, sep, key, out);
    else setField(out, key, child);
  }
}

function flattenArray(v: Value[]): Value[] {
  const out: Value[] = [];
  for (const x of v) {
    if (Array.isArray(x)) out.push(...flattenArray(x));
    else out.push(x);
  }
  return out;
}

function unflattenValue(v: VObject, sep: string, recursive: boolean): VObject {
  const out = newObject();
  for (const k of Object.keys(v)) {
    let child = v[k] as Value;
    if (recursive && isObject(child)) child = unflattenValue(child, sep, true);
    const parts = k.split(sep);
    let cur: VObject = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) {
        const existing = cur[p] ?? null;
        if (isObject(existing) && isObject(child)) Object.assign(existing, child);
        else setField(cur, p, child);
      } else {
        const next = cur[p];
        if (!isObject(next ?? null)) setField(cur, p, newObject());
        cur = cur[p] as VObject;
      }
    });
  }
  return out;
}

function deepMerge(a: VObject, b: VObject, deep: boolean): VObject {
  const out = newObject();
  for (const k of Object.keys(a)) setField(out, k, a[k] as Value);
  for (const k of Object.keys(b)) {
    const av = out[k];
    const bv = b[k] as Value;
    setField(
      out,
      k,
      deep && isObject(av ?? null) && isObject(bv) ? deepMerge(av as VObject, bv, true) : bv,
    );
  }
  return out;
}

function compact(v: Value, opts: Record<string, boolean>): Value {
  const empty = (x: Value): boolean =>
    (opts['null'] === true && x === null) ||
    (opts['string'] === true && x === '') ||
    (opts['object'] === true && isObject(x) && Object.keys(x).length === 0) ||
    (opts['array'] === true && Array.isArray(x) && x.length === 0) ||
    (opts['nullish'] === true && (x === '-' || (typeof x === 'string' && x.trim() === '')));
  const rec = opts['recursive'] === true;
  if (Array.isArray(v)) return v.map((x) => (rec ? compact(x, opts) : x)).filter((x) => !empty(x));
  if (isObject(v)) {
    const out = newObject();
    for (const k of Object.keys(v)) {
      const x = rec ? compact(v[k] as Value, opts) : (v[k] as Value);
      if (!empty(x)) setField(out, k, x);
    }
    return out;
  }
  return v;
}

function closureOf(env: CallEnv): (...a: Value[]) => Value {
  if (env.closure === undefined) throw functionError('missing closure');
  return env.closure;
}

function mapValuesRec(v: Value, f: (x: Value) => Value, recursive: boolean): Value {
  if (isObject(v)) {
    const out = newObject();
    for (const k of Object.keys(v)) {
      const x = v[k] as Value;
      setField(
        out,
        k,
        recursive && (isObject(x) || Array.isArray(x)) ? mapValuesRec(x, f, true) : f(x),
      );
    }
    return out;
  }
  if (Array.isArray(v))
    return v.map((x) =>
      recursive && (isObject(x) || Array.isArray(x)) ? mapValuesRec(x, f, true) : f(x),
    );
  return f(v);
}

function mapKeysRec(v: VObject, f: (k: string) => Value, recursive: boolean): VObject {
  const out = newObject();
  const inner = (x: Value): Value =>
    isObject(x) ? mapKeysRec(x, f, true) : Array.isArray(x) ? x.map(inner) : x;
  for (const k of sortedKeys(v)) {
    let x = v[k] as Value;
    if (recursive) x = inner(x);
    const nk = f(k);
    if (typeof nk !== 'string') throw functionError(`expected string, got ${kindOf(nk)}`);
    setField(out, nk, x);
  }
  return out;
}

export const collectionFunctions: VrlFunction[] = [
  fn('append', ['value:array', 'items:array'], ([v, items]) => [
    ...(v as Value[]),
    ...(items as Value[]),
  ]),
  fn('push', ['value:array', 'item'], ([v, item]) => [...(v as Value[]), item ?? null]),
  fn('pop', ['value:array'], ([v]) => (v as Value[]).slice(0, -1)),
  fn('flatten', ['value:array|object', 'separator:string?'], ([v, sep]) => {
    if (Array.isArray(v)) return flattenArray(v);
    const out = newObject();
    flattenValue(v ?? null, typeof sep === 'string' ? sep : '.', '', out);
    return out;
  }),
  fn('unflatten', ['value:object', 'separator:string?', 'recursive:boolean?'], ([v, sep, rec]) =>
    unflattenValue(v as VObject, typeof sep === 'string' ? sep : '.', bool(rec, true)),
  ),
  fn('keys', ['value:object'], ([v]) => sortedKeys(v as VObject)),
  fn('values', ['value:object'], ([v]) =>
    sortedKeys(v as VObject).map((k) => (v as VObject)[k] as Value),
  ),
  fn('merge', ['to:object', 'from:object', 'deep:boolean?'], ([a, b, deep]) =>
    deepMerge(a as VObject, b as VObject, bool(deep, false)),
  ),
  fn(
    'compact',
    [
      'value:array|object',
      'recursive:boolean?',
      'null:boolean?',
      'string:boolean?',
      'object:boolean?',
      'array:boolean?',
      'nullish:boolean?',
    ],
    ([v, r, n, s, o, a, nl]) =>
      compact(v ?? null, {
        recursive: bool(r, true),
        null: bool(n, true),
        string: bool(s, true),
        object: bool(o, true),
        array: bool(a, true),
        nullish: bool(nl, false),
      }),
  ),
  fn(
    'get',
    ['value:object|array', 'path:array'],
    ([v, p]) => getPath(v ?? null, pathSegments(p ?? null)),
    { fallible: true },
  ),
  fn(
    'set',
    ['value:object|array', 'path:array', 'data'],
    ([v, p, d]) => setPath(cloneValue(v ?? null), pathSegments(p ?? null), d ?? null),
    { fallible: true },
  ),
  fn(
    'remove',
    ['value:object|array', 'path:array', 'compact:boolean?'],
    ([v, p, c]) => {
      const copy = cloneValue(v ?? null);
      const segs = pathSegments(p ?? null);
      if (segs.length === 0) return copy;
      deletePath(copy, segs);
      return bool(c, false)
        ? compact(copy, { recursive: true, null: true, object: true, array: true })
        : copy;
    },
    { fallible: true },
  ),
  withArgCheck(
    fn(
      'chunks',
      ['value:array|string', 'chunk_size:integer'],
      ([v, n]) => {
        const size = n as number;
        if (size < 1) throw functionError('"chunk_size" must be at least 1 byte');
        const out: Value[] = [];
        if (typeof v === 'string') {
          const bytes = Buffer.from(v);
          for (let i = 0; i < bytes.length; i += size)
            out.push(bytes.subarray(i, i + size).toString());
        } else
          for (let i = 0; i < (v as Value[]).length; i += size)
            out.push((v as Value[]).slice(i, i + size));
        return out;
      },
      { fallible: true },
    ),
    ([, size]) =>
      typeof size === 'number' && size < 1 ? '"chunk_size" must be at least 1 byte' : undefined,
  ),

  fn('unique', ['value:array'], ([v]) => {
    const out: Value[] = [];
    for (const x of v as Value[]) if (!out.some((y) => valueEquals(x, y))) out.push(x);
    return out;
  }),
  fn('includes', ['value:array', 'item'], ([v, item]) =>
    (v as Value[]).some((x) => valueEquals(x, item ?? null)),
  ),
  fn('zip', ['array_0:array', 'array_1:array?'], ([a, b]) => {
    const arrays = (b === undefined || b === null ? (a as Value[]) : [a, b]) as Value[];
    if (!arrays.every(Array.isArray)) throw functionError('expected array of arrays');
    const len = Math.min(...(arrays as Value[][]).map((x) => x.length));
    return Array.from({ length: arrays.length === 0 ? 0 : len }, (_, i) =>
      (arrays as Value[][]).map((x) => x[i] as Value),
    );
  }),
  fn('tally', ['value:array'], ([v]) => {
    const out = newObject();
    for (const x of v as Value[]) {
      if (typeof x !== 'string')
        throw functionError(`all values must be strings, found: ${kindOf(x)}`);
      setField(out, x, ((out[x] as number | undefined) ?? 0) + 1);
    }
    return out;
  }),
  fn(
    'tally_value',
    ['array:array', 'value'],
    ([a, v]) => (a as Value[]).filter((x) => valueEquals(x, v ?? null)).length,
  ),
  fn(
    'object_from_array',
    ['values:array', 'keys:array?'],
    ([vs, ks]) => {
      const out = newObject();
      (vs as Value[]).forEach((x, i) => {
        let k: Value;
        let val: Value;
        if (Array.isArray(ks)) {
          k = ks[i] ?? null;
          val = x;
        } else {
          if (!Array.isArray(x)) throw functionError('expected array of pairs');
          k = x[0] ?? null;
          val = x[1] ?? null;
        }
        if (k === null) return;
        if (typeof k !== 'string') throw functionError('object keys must be strings');
        setField(out, k, val);
      });
      return out;
    },
    { fallible: true },
  ),
  fn('match_array', ['value:array', 'pattern:regex', 'all:boolean?'], ([v, p, all]) => {
    const re = (p as { re: RegExp }).re;
    const test = (x: Value): boolean => typeof x === 'string' && re.test(x);
    return bool(all, false) ? (v as Value[]).every(test) : (v as Value[]).some(test);
  }),
  fn(
    'for_each',
    ['value:array|object'],
    ([v], env) => {
      const f = closureOf(env);
      if (Array.isArray(v)) v.forEach((x, i) => f(i, x));
      else for (const k of sortedKeys(v as VObject)) f(k, (v as VObject)[k] as Value);
      return null;
    },
    { closure: 2 },
  ),
  fn(
    'map_values',
    ['value:array|object', 'recursive:boolean?'],
    ([v, r], env) => {
      const f = closureOf(env);
      return mapValuesRec(v ?? null, (x) => f(x), bool(r, false));
    },
    { closure: 1 },
  ),
  fn(
    'map_keys',
    ['value:object', 'recursive:boolean?'],
    ([v, r], env) => {
      const f = closureOf(env);
      return mapKeysRec(v as VObject, (k) => f(k), bool(r, false));
    },
    { closure: 1 },
  ),
  fn(
    'filter',
    ['value:array|object'],
    ([v], env) => {
      const f = closureOf(env);
      if (Array.isArray(v)) return v.filter((x, i) => f(i, x) === true);
      const out = newObject();
      for (const k of sortedKeys(v as VObject))
        if (f(k, (v as VObject)[k] as Value) === true) setField(out, k, (v as VObject)[k] as Value);
      return out;
    },
    { closure: 2 },
  ),
];
