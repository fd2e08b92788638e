// Structured types for the checker: a `Shape` is a set of kinds (so every kinds-only rule still
// works on it) that may also know an object's fields, an array's elements, what the other
// fields/elements may be ("rest"), and whether the value may be undefined (a missing field).
// A container kind without a `fields`/`elems` table has unknown contents: reading into it gives
// `unknown`, which the checker never blames. `type_def` prints these as VRL does.
import type { Segment } from './ast.js';
import type { Kinds } from './checker.js';
import type { Kind, Value } from './value.js';

export class Shape extends Set<Kind> {
  undef = false;
  fields?: Map<string, Kinds>;
  rest?: Kinds;
  elems?: Map<number, Kinds>;
  elemRest?: Kinds;
}

export const UNDEFINED: Kinds = (() => {
  const s = new Shape();
  s.undef = true;
  return s;
})();

const isShape = (k: Kinds): k is Shape => k instanceof Shape;

export function objectShape(fields: Map<string, Kinds>, rest?: Kinds): Shape {
  const s = new Shape(['object']);
  s.fields = fields;
  if (rest !== undefined) s.rest = rest;
  return s;
}

export function arrayShape(elems: Map<number, Kinds>, rest?: Kinds): Shape {
  const s = new Shape(['array']);
  s.elems = elems;
  if (rest !== undefined) s.elemRest = rest;
  return s;
}

/** The event and metadata roots before the program writes them: objects of anything. */
export const ANY_OBJECT: Kinds = objectShape(new Map(), 'any');

/** A value stored in a container: undefined becomes null (VRL's "upgrade"). */
export function stored(k: Kinds): Kinds {
  if (!isShape(k) || !k.undef) return k;
  const s = copy(k);
  s.undef = false;
  s.add('null');
  return s;
}

function copy(k: Shape): Shape {
  const s = new Shape(k);
  s.undef = k.undef;
  if (k.fields) s.fields = new Map(k.fields);
  if (k.rest !== undefined) s.rest = k.rest;
  if (k.elems) s.elems = new Map(k.elems);
  if (k.elemRest !== undefined) s.elemRest = k.elemRest;
  return s;
}

/** Drops the kinds not in `keep` (e.g. the array part of `null | array`). */
export function restrict(k: Kinds, keep: readonly Kind[]): Kinds {
  if (k === 'any' || k === 'unknown') return k;
  const s = isShape(k) ? copy(k) : new Shape(k);
  s.undef = false;
  for (const x of [...s]) if (!keep.includes(x)) s.delete(x);
  return s;
}

const orUndef = (k: Kinds | undefined): Kinds => k ?? UNDEFINED;
/** A field or element not known to exist: of the rest's type, or missing. */
const fromRest = (k: Kinds | undefined): Kinds =>
  k === undefined ? UNDEFINED : union(k, UNDEFINED);

function unionTables<K>(
  a: Map<K, Kinds>,
  ar: Kinds | undefined,
  b: Map<K, Kinds>,
  br: Kinds | undefined,
): Map<K, Kinds> {
  const out = new Map<K, Kinds>();
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    out.set(key, union(a.get(key) ?? orUndef(ar), b.get(key) ?? orUndef(br)));
  }
  return out;
}

const unionRest = (a: Kinds | undefined, b: Kinds | undefined): Kinds | undefined =>
  a === undefined ? b : b === undefined ? a : union(a, b);

export function union(a: Kinds, b: Kinds): Kinds {
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  if (a === 'any' || b === 'any') return 'any';
  const s = new Shape([...a, ...b]);
  const sa = isShape(a) ? a : undefined;
  const sb = isShape(b) ? b : undefined;
  s.undef = (sa?.undef ?? false) || (sb?.undef ?? false);
  const objA = a.has('object');
  const objB = b.has('object');
  if (objA && objB) {
    if (sa?.fields && sb?.fields) {
      s.fields = unionTables(sa.fields, sa.rest, sb.fields, sb.rest);
      const r = unionRest(sa.rest, sb.rest);
      if (r !== undefined) s.rest = r;
    }
  } else if (objA || objB) {
    const one = objA ? sa : sb;
    if (one?.fields) s.fields = new Map(one.fields);
    if (one?.rest !== undefined) s.rest = one.rest;
  }
  const arrA = a.has('array');
  const arrB = b.has('array');
  if (arrA && arrB) {
    if (sa?.elems && sb?.elems) {
      s.elems = unionTables(sa.elems, sa.elemRest, sb.elems, sb.elemRest);
      const r = unionRest(sa.elemRest, sb.elemRest);
      if (r !== undefined) s.elemRest = r;
    }
  } else if (arrA || arrB) {
    const one = arrA ? sa : sb;
    if (one?.elems) s.elems = new Map(one.elems);
    if (one?.elemRest !== undefined) s.elemRest = one.elemRest;
  }
  return s;
}

/** The type of one step into `k`: a missing field/element of a known container is undefined. */
export function descend(k: Kinds, seg: Segment): Kinds {
  if (k === 'any' || k === 'unknown') return k;
  if (seg.kind === 'coalesce') return 'unknown';
  const want: Kind = seg.kind === 'field' ? 'object' : 'array';
  let out: Kinds | undefined;
  const add = (x: Kinds): void => {
    out = out === undefined ? x : union(out, x);
  };
  const s = isShape(k) ? k : undefined;
  if (k.has(want)) {
    if (seg.kind === 'field') {
      if (s?.fields === undefined) return 'unknown';
      add(s.fields.get(seg.name) ?? fromRest(s.rest));
    } else {
      if (s?.elems === undefined) return 'unknown';
      const i = seg.index < 0 && s.elemRest === undefined ? s.elems.size + seg.index : seg.index;
      add(s.elems.get(i) ?? fromRest(s.elemRest));
    }
  }
  if ([...k].some((x) => x !== want) || s?.undef === true || k.size === 0) add(UNDEFINED);
  return out ?? UNDEFINED;
}

export function typeAt(k: Kinds, path: readonly Segment[]): Kinds {
  let cur = k;
  for (const seg of path) cur = descend(cur, seg);
  return cur;
}

/** The type of `root` after `value` is written at `path` (containers are created on the way). */
export function setAt(root: Kinds, path: readonly Segment[], value: Kinds): Kinds {
  if (path.length === 0) return value;
  const [seg, ...rest] = path as [Segment, ...Segment[]];
  const s = isShape(root) ? root : undefined;
  const unknownInside = root === 'any' || root === 'unknown';
  if (seg.kind === 'coalesce') return 'unknown';
  if (seg.kind === 'field') {
    const known = s?.has('object') === true ? s.fields : undefined;
    const base = root !== 'any' && root !== 'unknown' && root.has('object') && !known;
    const fields = new Map(known ?? []);
    const restK = unknownInside ? root : base ? 'unknown' : s?.has('object') ? s.rest : undefined;
    const inner = fields.get(seg.name) ?? (restK !== undefined ? restK : UNDEFINED);
    fields.set(seg.name, stored(setAt(inner, rest, value)));
    return objectShape(fields, restK);
  }
  const known = s?.has('array') === true ? s.elems : undefined;
  const base = root !== 'any' && root !== 'unknown' && root.has('array') && !known;
  if (unknownInside || base || (s?.has('array') && s.elemRest !== undefined)) {
    const r: Kinds = unknownInside ? root : base ? 'unknown' : (s?.elemRest as Kinds);
    const elems = new Map(known ?? []);
    if (seg.index >= 0) elems.set(seg.index, stored(setAt(elems.get(seg.index) ?? r, rest, value)));
    return arrayShape(elems, union(r, value));
  }
  const elems = [...(known ?? new Map<number, Kinds>()).entries()]
    .sort(([x], [y]) => x - y)
    .map(([, v]) => v);
  let i = seg.index;
  if (i < 0) {
    i += elems.length;
    if (i < 0) {
      elems.unshift(...new Array<Kinds>(-i).fill(new Set<Kind>(['null'])));
      i = 0;
    }
  }
  while (elems.length <= i) elems.push(new Set<Kind>(['null']));
  elems[i] = stored(setAt(elems[i] as Kinds, rest, value));
  return arrayShape(new Map(elems.map((v, j) => [j, v])));
}

/** The type of `root` after `del` at `path`. */
export function delAt(root: Kinds, path: readonly Segment[]): Kinds {
  if (path.length === 0) {
    const obj = root !== 'any' && root !== 'unknown' && root.size === 1 && root.has('object');
    return obj ? objectShape(new Map()) : new Set<Kind>(['null']);
  }
  if (!isShape(root)) return root;
  const [seg, ...rest] = path as [Segment, ...Segment[]];
  const s = copy(root);
  if (seg.kind === 'field' && s.fields) {
    const cur = s.fields.get(seg.name);
    if (rest.length === 0) s.fields.delete(seg.name);
    else if (cur !== undefined) s.fields.set(seg.name, delAt(cur, rest));
  } else if (seg.kind === 'index' && s.elems && s.elemRest === undefined) {
    // Removing an element shifts the later ones: what is where is no longer known.
    if (rest.length === 0) return arrayShape(new Map(), 'any');
    const cur = s.elems.get(seg.index);
    if (cur !== undefined) s.elems.set(seg.index, delAt(cur, rest));
  } else if (seg.kind === 'coalesce') return 'unknown';
  return s;
}

/** VRL's `type_def` JSON (`{"bytes": true, "null": true}`, `{"object": {"a": …}}`). */
export function typeDefJson(k: Kinds): Value {
  if (k === 'any' || k === 'unknown') return { any: true };
  const s = isShape(k) ? k : undefined;
  if (k.size === 0 && s?.undef !== true) return { never: true };
  const out: Record<string, Value> = {};
  for (const kind of k) {
    const name = kind === 'string' ? 'bytes' : kind;
    if (kind === 'object' || kind === 'array') {
      const table: Map<string | number, Kinds> | undefined =
        kind === 'object' ? s?.fields : s?.elems;
      const inner: Record<string, Value> = {};
      for (const [key, v] of [...(table ?? new Map<string, Kinds>()).entries()].sort()) {
        inner[String(key)] = typeDefJson(v);
      }
      out[name] = inner;
      const r = kind === 'object' ? s?.rest : s?.elemRest;
      if (r !== undefined) out[`${name}_unknown_infinite`] = typeDefJson(r);
    } else out[name] = true;
  }
  if (s?.undef === true) out.undefined = true;
  return out;
}

/** `a | b` of two objects: `b`'s fields win; contents stay unknown if either side's are. */
export function mergeKinds(a: Kinds, b: Kinds): Kinds {
  const sa = isShape(a) && a.size === 1 && a.has('object') ? a : undefined;
  const sb = isShape(b) && b.size === 1 && b.has('object') ? b : undefined;
  if (sa?.fields === undefined || sb?.fields === undefined) return new Set<Kind>(['object']);
  const fields = new Map(sa.fields);
  for (const [k, v] of sb.fields) fields.set(k, v);
  return objectShape(fields, unionRest(sa.rest, sb.rest));
}

/** Is this known type certainly not of kind `want` (undefined counts as not)? */
export function lacks(k: Kinds, want: Kind): boolean {
  if (k === 'any' || k === 'unknown') return false;
  return !k.has(want) && (k.size > 0 || (isShape(k) && k.undef)); // never (abort) fits all
}

/** A short name of a known type for messages (`string`, `undefined`). */
export function kindName(k: Kinds): string {
  if (k === 'any' || k === 'unknown') return 'any';
  const names = [...k];
  if (isShape(k) && k.undef) names.push('undefined' as Kind);
  return names.join(' or ') || 'never';
}
