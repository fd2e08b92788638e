// Structured return types of the functions whose result shape follows from their arguments
// (`push`, `slice`, …), for `type_def` and the checks that read into containers.
import type { Kinds } from './checker.js';
import type { Arg } from './ast.js';
import { arrayShape, objectShape, restrict, Shape, union } from './shape.js';
import { VRegex, type Kind } from './value.js';

/** The return type of `name` given its positional argument types, or undefined (use kinds). */
export function callKinds(
  name: string,
  args: readonly Kinds[],
  exprs: readonly Arg[],
): Kinds | undefined {
  const first = args[0];
  if (first === undefined) return undefined;
  switch (name) {
    case 'parse_regex':
    case 'parse_regex_all': {
      // A literal pattern without numeric groups: an object of its named groups.
      const p = exprs[1]?.expr;
      if (exprs.length !== 2 || p?.type !== 'literal' || !(p.value instanceof VRegex))
        return undefined;
      const names = [...p.value.source.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)].map(
        (m) => m[1] as string,
      );
      const obj = objectShape(new Map(names.map((n) => [n, new Set<Kind>(['string'])])));
      return name === 'parse_regex' ? obj : arrayShape(new Map(), obj);
    }
    case 'parse_json':
      // Any JSON value: VRL checks what is read from it against parameters.
      return 'any';
    case 'slice':
      return first === 'any' || first === 'unknown'
        ? undefined
        : restrict(first, ['array', 'string']);
    case 'push': {
      const item = args[1] ?? 'unknown';
      const a = first === 'any' ? first : restrict(first, ['array']);
      if (a === 'any') return arrayShape(new Map(), union('any', item));
      if (!(a instanceof Shape) || a.elems === undefined) return undefined;
      if (a.elemRest !== undefined) return arrayShape(new Map(a.elems), union(a.elemRest, item));
      const elems = new Map(a.elems);
      elems.set(elems.size, item);
      return arrayShape(elems);
    }
    case 'flatten':
    case 'compact':
    case 'map_values':
    case 'filter':
    case 'remove':
    case 'set':
      // The same container kind as the input.
      return plain(first, ['array', 'object']);
    case 'abs':
    case 'ceil':
    case 'floor':
    case 'round':
      return plain(first, ['integer', 'float']);
    default:
      return undefined;
  }
}

/** The kinds of `k` among `keep` (all of `keep` when `k` is not known), without shapes. */
function plain(k: Kinds, keep: readonly Kind[]): Kinds {
  const r =
    k === 'any' || k === 'unknown'
      ? new Set(keep)
      : new Set([...k].filter((x) => keep.includes(x)));
  return r.size === 0 ? new Set(keep) : r;
}
