// unnest(path): one copy of the path's root per element of the array at the path, with that
// element in the array's place. Compiled as a special form (it needs the path, not its value).
import type { Segment } from '../ast.js';
import { runtimeError } from '../diagnostic.js';
import { setPath } from '../paths.js';
import { fn, functionError, type VrlFunction } from '../function.js';
import { cloneValue, kindOf, type Value } from '../value.js';

export function unnest(root: Value, items: Value, path: readonly Segment[], where: string): Value {
  if (!Array.isArray(items)) throw runtimeError(`${where}: expected array, got ${kindOf(items)}`);
  return items.map((item) => setPath(cloneValue(root), path, cloneValue(item)));
}

/** The stdlib entry the checker sees (arity, keywords); calls compile to `unnest` above. */
export const unnestFunction: VrlFunction = fn('unnest', ['path'], () => {
  throw functionError('unnest takes a path');
});
