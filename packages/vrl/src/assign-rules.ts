// What an assignment may not target: reserved words as variables, and read-only paths.
import type { Segment } from './ast.js';
import type { ReadOnlyPath } from './index.js';
import { pathText } from './paths.js';

export const RESERVED = new Set(
  (
    'abort array bool boolean break continue do else emit false float for forall foreach if ' +
    'int integer iterator loop null object regex return string timestamp traverse true unless ' +
    'walk while'
  ).split(' '),
);

/** Is writing `path` (event or metadata) a write to, above or below a read-only path? */
export function isReadOnly(
  readOnly: readonly ReadOnlyPath[],
  meta: boolean,
  path: readonly Segment[],
): boolean {
  // Both sides are compared in the event form (`.x`): metadata paths may be written `%x` or `.x`.
  const text = pathText('.', path);
  // `b` is `a` or contains it (the root contains everything).
  const within = (a: string, b: string): boolean =>
    a === b || b === '.' || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return readOnly.some((r) => {
    const ro = r.path.replace(/^%\.?/, '.');
    return r.metadata === meta && (within(ro, text) || (r.recursive && within(text, ro)));
  });
}
